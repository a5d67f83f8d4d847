import type { LabelArray } from '../../core/labels/LabelArray.js';

/**
 * Voxels per label value, indexed by value, up to the largest present. Counts runs of one value rather than adding
 * each voxel to its counter: neighbours mostly share a label, and each add waited on the one before it to the same
 * counter (a 512×512×500 label map: 0.26–0.32 s against 0.52–0.57 s; random labels no slower, 0.37 s).
 */
export function countLabels(labels: LabelArray): Float64Array {
  const counts = new Float64Array(labels instanceof Uint8Array ? 256 : 65536);
  let value = labels[0] ?? 0;
  let run = 0;
  for (let n = 0; n < labels.length; n++) {
    const v = labels[n]!;
    if (v === value) run++;
    else {
      counts[value] = counts[value]! + run;
      value = v;
      run = 1;
    }
  }
  counts[value] = counts[value]! + run;
  let max = counts.length - 1;
  while (max > 0 && counts[max] === 0) max--;
  return counts.slice(0, max + 1);
}
