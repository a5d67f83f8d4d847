import type { Vec3 } from '../../../core/geometry/types.js';

/**
 * The grid MONAI's Spacingd makes (scale_extent false): the first voxel's
 * centre and the axis directions stay, centres are `pixdim` apart, and the size
 * along each axis is `round((n - 1) * spacing / pixdim + 1)`
 * (monai/data/utils.py, compute_shape_offset).
 */
export function spacingGrid(dimensions: Vec3, spacing: Vec3, pixdim: Vec3): { dimensions: Vec3; spacing: Vec3 } {
  const target = [0, 1, 2].map((a) => (pixdim[a]! > 0 ? pixdim[a]! : spacing[a]!)) as unknown as Vec3;
  const sizes = [0, 1, 2].map((a) => Math.max(1, roundHalfEven(((dimensions[a]! - 1) * spacing[a]!) / target[a]! + 1)));
  return { dimensions: sizes as unknown as Vec3, spacing: target };
}

/** numpy's round: halves go to the even neighbour. Tiny float noise is removed first. */
function roundHalfEven(x: number): number {
  const cleaned = Math.round(x * 1e6) / 1e6;
  const floor = Math.floor(cleaned);
  const fraction = cleaned - floor;
  if (fraction !== 0.5) return Math.round(cleaned);
  return floor % 2 === 0 ? floor : floor + 1;
}
