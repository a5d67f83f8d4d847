import type { SegmentDef } from '../../core/contract.js';

/** A lookup by label value (0–65535): 1 where the value belongs to a locked segment of `layer`. */
export function lockedValues(segments: readonly SegmentDef[], layer: number): Uint8Array {
  const table = new Uint8Array(65536);
  for (const s of segments) if (s.layer === layer && s.locked) table[s.value] = 1;
  return table;
}
