import type { Axis, Mat3, Vec3 } from './types.js';
import { cross, scale, triple } from './vec3.js';

/** The world axis an index axis runs along, and whether it runs towards that axis' positive end (1) or away (−1). */
export interface AxisOrientation {
  readonly worldAxis: Axis;
  readonly sign: 1 | -1;
}

/**
 * nibabel's `io_orientation` (which MONAI's Orientationd and `aff2axcodes` call), on a direction matrix
 * (`direction[a]` the world vector of index axis a, any length): the axes are scaled to length 1 and the shear is
 * removed by polar decomposition (the nearest rotation, as nibabel's SVD gives it); then index axis by index axis, i
 * first, each takes the world axis of its largest component, and that world axis is struck from the later ones.
 * On an LPS direction it gives LPS signs (the world axes are the same as RAS's, x and y negated).
 * @throws RangeError when the axes are degenerate (collinear, zero-length or not finite).
 */
export function ioOrientation(direction: Mat3): AxisOrientation[] {
  const rotation = nearestRotation(direction.map((axis) => scale(axis, 1 / Math.hypot(...axis))) as unknown as Mat3);
  const rows = rotation.map((axis) => [...axis]);
  const result: AxisOrientation[] = [];
  for (const axis of rows) {
    let best = 0;
    for (let w = 1; w < 3; w++) if (Math.abs(axis[w]!) > Math.abs(axis[best]!)) best = w;
    result.push({ worldAxis: best as Axis, sign: axis[best]! < 0 ? -1 : 1 });
    for (const later of rows) later[best] = 0;
  }
  return result;
}

/**
 * The orthogonal polar factor of a non-singular matrix (rows are the axes): Newton's iteration X ← (X + X⁻ᵀ) / 2,
 * which converges quadratically to the U·Vᵀ of its SVD. X⁻ᵀ's rows are the cross products of X's rows over det X.
 */
function nearestRotation(axes: Mat3): Mat3 {
  let x = axes;
  for (let iteration = 0; iteration < 100; iteration++) {
    const det = triple(x[0], x[1], x[2]);
    if (!(Math.abs(det) > 1e-12) || !Number.isFinite(det)) throw new RangeError('direction axes are degenerate');
    const inverseTranspose = [cross(x[1], x[2]), cross(x[2], x[0]), cross(x[0], x[1])].map((v) => scale(v, 1 / det));
    const next = x.map((row, r) => row.map((v, c) => (v + inverseTranspose[r]![c]!) / 2) as unknown as Vec3) as unknown as Mat3;
    const change = Math.max(...next.flatMap((row, r) => row.map((v, c) => Math.abs(v - x[r]![c]!))));
    x = next;
    if (change < 1e-15) break;
  }
  return x;
}
