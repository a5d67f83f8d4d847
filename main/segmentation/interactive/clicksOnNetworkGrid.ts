import type { Vec3 } from '../../../core/geometry/types.js';
import type { OrientationMapping } from '../pipeline/orientationMapping.js';

export interface NetworkGridParams {
  /** Source voxel index of each click (see clickVoxel). */
  readonly voxels: readonly Vec3[];
  /** Orientationd's mapping, when the preprocessing reorients. */
  readonly orientation: OrientationMapping | undefined;
  /** The preprocessed image's size before Resized. */
  readonly dimensions: Vec3;
  /** Resized's spatial_size, or null when there is none. */
  readonly size: Vec3 | null;
}

/**
 * Where clicks land on the network's grid, as the spleen DeepEdit bundle moves them: through Orientationd (the
 * zoo's OrientationGuidanceMultipleLabelDeepEditd applies inv(affine) · original_affine, which for a voxel is the
 * axis permutation and flips), then ResizeGuidanceMultipleLabelDeepEditd's `int(p × size / shape)` (truncation,
 * per axis). AddGuidanceFromPointsDeepEditd's own factor (current over original shape) is 1 here: the clicks are
 * already indices of the oriented image (MONAI divides by the pre-orientation shape, which differs only when
 * Orientationd permutes axes, where MONAI's factor mixes axes up).
 */
export function clicksOnNetworkGrid({ voxels, orientation, dimensions, size }: NetworkGridParams): Vec3[] {
  return voxels.map((v) => {
    const oriented = orientation
      ? ([0, 1, 2].map((b) => {
          const a = orientation.sourceAxis[b]!;
          return orientation.flip[b] ? orientation.sourceDimensions[a]! - 1 - v[a]! : v[a]!;
        }) as unknown as Vec3)
      : v;
    // numpy's order: the factor first (float64 division), then the product, then astype(int).
    return size === null ? oriented : (oriented.map((p, a) => Math.trunc(p * (size[a]! / dimensions[a]!))) as unknown as Vec3);
  });
}
