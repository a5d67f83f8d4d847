import type { LabelArray } from '../../core/labels/LabelArray.js';

/** Voxels per label value, indexed by value, up to the largest present. */
export function countLabels(labels: LabelArray): Float64Array {
  let max = 0;
  for (let n = 0; n < labels.length; n++) if (labels[n]! > max) max = labels[n]!;
  const counts = new Float64Array(max + 1);
  for (let n = 0; n < labels.length; n++) counts[labels[n]!]!++;
  return counts;
}
