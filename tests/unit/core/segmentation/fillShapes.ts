import type { Vec3 } from '../../../../core/geometry/types.js';

/** A shape on a grid: 1 inside, i fastest. */
export interface Shape {
  readonly dimensions: Vec3;
  readonly mask: Uint8Array;
}

/** Voxels whose centres pass `inside(i, j, k)`. */
export function shapeOf(dimensions: Vec3, inside: (i: number, j: number, k: number) => boolean): Shape {
  const [nx, ny, nz] = dimensions;
  const mask = new Uint8Array(nx * ny * nz);
  let n = 0;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, n++) if (inside(i, j, k)) mask[n] = 1;
  return { dimensions, mask };
}

/** An ellipsoid with semi-axes (a, b, c) voxels, turned by `alpha` about i then `beta` about j (degrees), centred at `centre`. */
export function ellipsoid(dimensions: Vec3, centre: Vec3, semiAxes: Vec3, alpha: number, beta: number): Shape {
  const ca = Math.cos((alpha * Math.PI) / 180);
  const sa = Math.sin((alpha * Math.PI) / 180);
  const cb = Math.cos((beta * Math.PI) / 180);
  const sb = Math.sin((beta * Math.PI) / 180);
  return shapeOf(dimensions, (i, j, k) => {
    const x = i - centre[0];
    const y = j - centre[1];
    const z = k - centre[2];
    // Undo the turn about j, then about i, to reach the ellipsoid's own axes.
    const x1 = cb * x - sb * z;
    const z1 = sb * x + cb * z;
    const y2 = ca * y + sa * z1;
    const z2 = -sa * y + ca * z1;
    return (x1 / semiAxes[0]) ** 2 + (y2 / semiAxes[1]) ** 2 + (z2 / semiAxes[2]) ** 2 <= 1;
  });
}

/** The shape kept only on every `step`-th slice across `axis`, counting from its first non-empty slice. */
export function drawnEvery(shape: Shape, axis: 0 | 1 | 2, step: number): Uint8Array {
  const [nx, ny] = shape.dimensions;
  const slice = (n: number): number => [n % nx, Math.floor(n / nx) % ny, Math.floor(n / (nx * ny))][axis]!;
  let first = Infinity;
  for (let n = 0; n < shape.mask.length; n++) if (shape.mask[n] === 1) first = Math.min(first, slice(n));
  return shape.mask.map((m, n) => (m === 1 && (slice(n) - first) % step === 0 ? 1 : 0));
}

/** Dice of two masks (non-zero inside). */
export function dice(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let both = 0;
  let sa = 0;
  let sb = 0;
  for (let n = 0; n < a.length; n++) {
    const x = a[n] !== 0;
    const y = b[n] !== 0;
    if (x) sa++;
    if (y) sb++;
    if (x && y) both++;
  }
  return (2 * both) / (sa + sb);
}

/** The drawn voxels plus the filled ones. */
export function union(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, n) => (v !== 0 || b[n] !== 0 ? 1 : 0));
}
