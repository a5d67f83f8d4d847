import type { LeaderPlane } from './LeaderPlane.js';

/**
 * Per network voxel n of a leader plane `width` voxels wide: the sure leader (LeaderPlane's `sure`) that n, n + 1,
 * n + width and n + width + 1 share (the four in-plane taps of an interpolation whose lower corner is n), or −1 where
 * they differ or one has none, into `cells` (of the plane's size). The inverter then decides most voxels with one look
 * (see createInverter).
 */
export function sureCells(plane: LeaderPlane, width: number, cells: Int32Array = new Int32Array(plane.sure.length)): Int32Array {
  const { sure } = plane;
  cells.fill(-1);
  for (let n = 0; n + width + 1 < sure.length; n++) {
    const s = sure[n]!;
    if (s >= 0 && sure[n + 1] === s && sure[n + width] === s && sure[n + width + 1] === s) cells[n] = s;
  }
  return cells;
}
