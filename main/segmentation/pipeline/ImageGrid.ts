import type { Mat3, Vec3 } from '../../../core/geometry/types.js';

/**
 * A single-channel float image on a grid, as the pipeline transforms it:
 * voxels i fastest (like Volume) unless its maker says otherwise (preprocessVolume's k-fastest layout), geometry in
 * LPS. Mutable buffers, never shared with a Volume, so the transforms may work in place.
 */
export interface ImageGrid {
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly direction: Mat3;
  readonly data: Float32Array;
}
