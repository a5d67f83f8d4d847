import type { NumericArray } from '../../core/voxels/NumericArray.js';

/**
 * Copies a label slice to `out`, adding `offset` to every labelled pixel on
 * its segment's edge: one whose 4-neighbour holds another label or which lies
 * on the image border. Interior pixels and background keep their value.
 */
export function markOutline(labels: NumericArray, rows: number, columns: number, offset: number, out: NumericArray): void {
  const last = columns - 1;
  for (let r = 0, n = 0; r < rows; r++) {
    const top = r === 0;
    const bottom = r === rows - 1;
    for (let c = 0; c < columns; c++, n++) {
      const v = labels[n]!;
      if (v === 0) {
        out[n] = 0;
        continue;
      }
      const edge =
        top || bottom || c === 0 || c === last || labels[n - 1] !== v || labels[n + 1] !== v || labels[n - columns] !== v || labels[n + columns] !== v;
      out[n] = edge ? v + offset : v;
    }
  }
}
