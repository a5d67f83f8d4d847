import type { SegmentDef } from '../../core/contract.js';
import type { SegmentKey } from '../../core/labels/segmentKey.js';

/**
 * The table with every AUTOMATIC segment among `edited` turned
 * SEMIAUTOMATIC (a model's result touched by hand; algorithmName kept);
 * the same array when none was.
 */
export function markEditedSegments(segments: readonly SegmentDef[], edited: readonly SegmentKey[]): readonly SegmentDef[] {
  if (edited.length === 0) return segments;
  const keys = new Set(edited.map((k) => `${k.layer}:${k.value}`));
  let changed = false;
  const out = segments.map((s) => {
    if (s.algorithmType !== 'AUTOMATIC' || !keys.has(`${s.layer}:${s.value}`)) return s;
    changed = true;
    return Object.freeze({ ...s, algorithmType: 'SEMIAUTOMATIC' as const });
  });
  return changed ? Object.freeze(out) : segments;
}
