import { LeadersOverflow } from './LeadersOverflow.js';
import type { WindowLeaders } from './windowLeaders.js';

/** A batch's leaders tail (appendLeadersTail.ts): what the leaders store needs of it, in place of its output. */
export interface TopLeaders {
  /** Leading classes per voxel, largest logit first. */
  readonly k: number;
  /** [count, voxels, k]: each voxel's k largest logits. */
  readonly values: Float32Array;
  /** [count, voxels, k]: their classes. */
  readonly ids: Uint8Array | Uint16Array;
  /** [count, channels]: each patch's channels summed over its voxels, not finite where one of its values is not. */
  readonly sums: Float32Array;
}

/**
 * Fills `lists` with patch `n`'s leaders from its k largest logits per voxel: the same lists windowLeaders makes from the
 * whole output, entry for entry. The classes within `reach` of a voxel's best are its largest logits, so they are among
 * the k whenever there are fewer than k of them; when all k are within reach there may be more, and more than `slots`
 * already: the store cannot hold them. Only for a batch whose sums are finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
 */
export function topLeaders(top: TopLeaders, n: number, size: number, reach: number, lists: WindowLeaders): void {
  const { k, values, ids: classes } = top;
  const { count, offsets, slots, maxima, ids, values: listed } = lists;
  if (k <= slots) throw new RangeError(`a tail of ${k} classes for ${slots} slots`);
  let offset = 0;
  for (let v = 0; v < size; v++) {
    const from = (n * size + v) * k;
    const best = values[from]!;
    // Stored as float32, as windowLeaders compares with it.
    const threshold = Math.fround(best - reach);
    let m = 1;
    while (m < k && values[from + m]! >= threshold) m++;
    if (m > slots) throw new LeadersOverflow('slots');
    // In ascending class order, as windowLeaders lists them: an insertion sort of at most `slots` entries.
    for (let e = 0; e < m; e++) {
      const id = classes[from + e]!;
      const value = values[from + e]!;
      let at = offset + e;
      while (at > offset && ids[at - 1]! > id) {
        ids[at] = ids[at - 1]!;
        listed[at] = listed[at - 1]!;
        at--;
      }
      ids[at] = id;
      listed[at] = value;
    }
    count[v] = m;
    offsets[v] = offset;
    maxima[v] = best;
    offset += m;
  }
}
