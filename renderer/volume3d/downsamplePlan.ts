import type { Mat3, Vec3, VolumeGeometry } from '../../core/geometry/types.js';

/**
 * The most bytes the 3D view's intensity texture may take: 512 MiB. WebGL2
 * offers no query of the GPU's free memory, so the budget is fixed: with the
 * label texture (a quarter of it at one byte per voxel), the 2D views' own
 * textures and the canvas, the 3D view then stays under about 1 GiB of GPU
 * memory, which integrated GPUs (sharing system memory), 2 GiB laptop GPUs
 * and SwiftShader (Chromium's software WebGL, memory of the GPU process)
 * all have to spare. 256³ float textures and up fit without reduction.
 */
export const textureBudgetBytes = 512 * 2 ** 20;

/** How the 3D view's grid is made from the volume's: whole blocks of factors[a] voxels per axis, averaged. */
export interface DownsamplePlan extends VolumeGeometry {
  /** Source voxels per texture voxel along i, j, k (1 = full resolution). */
  readonly factors: Vec3;
  /** Why the grid is reduced. */
  readonly reason: 'texture-size' | 'memory';
}

/**
 * The grid the 3D view's texture uses for `geometry`: the same grid when it
 * fits (each side ≤ maxSide and the texture ≤ budgetBytes), else whole
 * integer factors per axis, first the least that bring each side under
 * maxSide, then raised one axis at a time (the one with the finest voxels
 * after reduction, so voxels stay as near cubic as possible) until the
 * texture fits the budget. Each texture voxel covers a whole block of source
 * voxels (the last partial block, < factor voxels, is left out), so the
 * world geometry stays exact: spacing × factor, and the origin moved to the
 * centre of the first block, which is the mean of the centres it covers.
 * Returns null when the grid fits as it is.
 * @throws RangeError when maxSide is not a positive whole number: a lost
 * WebGL context answers null for MAX_3D_TEXTURE_SIZE, and factors of
 * dims / null = Infinity would send the reduction into an endless loop.
 */
export function downsamplePlan(geometry: VolumeGeometry, maxSide: number, bytesPerVoxel: number, budgetBytes = textureBudgetBytes): DownsamplePlan | null {
  if (!Number.isSafeInteger(maxSide) || maxSide < 1) throw new RangeError(`the GPU reported no usable 3D texture size (${String(maxSide)})`);
  const dims = geometry.dimensions;
  const bytesOf = (f: Vec3): number => reducedDims(dims, f).reduce((a, b) => a * b, 1) * bytesPerVoxel;
  let factors: Vec3 = [0, 1, 2].map((a) => Math.max(1, Math.ceil(dims[a]! / maxSide))) as unknown as Vec3;
  const tooLarge = factors.some((f) => f > 1);
  if (!tooLarge && bytesOf(factors) <= budgetBytes) return null;
  while (bytesOf(factors) > budgetBytes) {
    const axis = finestAxis(geometry.spacing, factors, dims);
    if (axis < 0) break;
    factors = factors.map((f, a) => (a === axis ? f + 1 : f)) as unknown as Vec3;
  }
  return { ...reducedGeometry(geometry, factors), factors, reason: tooLarge ? 'texture-size' : 'memory' };
}

/** The reduced grid for whole blocks of `factors`: floor(dims / factors) voxels, spacing × factors, origin at the first block's centre. */
export function reducedGeometry(geometry: VolumeGeometry, factors: Vec3): VolumeGeometry {
  const { spacing, origin, direction } = geometry;
  const shift = [0, 1, 2].map((a) => ((factors[a]! - 1) / 2) * spacing[a]!);
  const moved = [0, 1, 2].map((w) => origin[w]! + direction[0][w]! * shift[0]! + direction[1][w]! * shift[1]! + direction[2][w]! * shift[2]!);
  return {
    dimensions: reducedDims(geometry.dimensions, factors),
    spacing: [spacing[0] * factors[0], spacing[1] * factors[1], spacing[2] * factors[2]],
    origin: moved as unknown as Vec3,
    direction: direction as Mat3,
  };
}

/** "1/2" when every axis is reduced alike, else "1/2 × 1/2 × 1/4" (i × j × k). */
export function describeFactors(factors: Vec3): string {
  const parts = factors.map((f) => (f === 1 ? '1' : `1/${f}`));
  return factors.every((f) => f === factors[0]) ? parts[0]! : parts.join(' × ');
}

function reducedDims(dims: Vec3, factors: Vec3): Vec3 {
  return [0, 1, 2].map((a) => Math.max(1, Math.floor(dims[a]! / factors[a]!))) as unknown as Vec3;
}

/** The axis whose reduced voxels are finest and can still be reduced (−1 when none can). */
function finestAxis(spacing: Vec3, factors: Vec3, dims: Vec3): number {
  let best = -1;
  for (let a = 0; a < 3; a++) {
    if (Math.floor(dims[a]! / factors[a]!) <= 1) continue;
    const size = spacing[a]! * factors[a]!;
    const bestSize = best < 0 ? Infinity : spacing[best]! * factors[best]!;
    if (size < bestSize - 1e-9 || (Math.abs(size - bestSize) <= 1e-9 && dims[a]! > dims[best]!)) best = a;
  }
  return best;
}
