import type { SegmentDef } from '../../core/contract.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** The lowest label value ≥ 1 that neither a segment of layer 0 nor any voxel of it uses; null when all 65535 are taken. */
export function nextSegmentValue(segments: readonly SegmentDef[], layer0: LabelArray): number | null {
  const used = new Uint8Array(65536);
  for (let n = 0; n < layer0.length; n++) used[layer0[n]!] = 1;
  for (const s of segments) if (s.layer === 0) used[s.value] = 1;
  let value = 1;
  while (value < 65536 && used[value] === 1) value++;
  return value === 65536 ? null : value;
}
