import type { Vec3 } from '../core/geometry/types.js';
import { createVolume, type Volume, type VoxelArray } from '../main/volume/Volume.js';

/** A NIfTI-like volume on the plainest grid (1 mm voxels, origin 0, identity axes): for specs where geometry is beside the point. */
export function tinyVolume(dimensions: Vec3, voxels: VoxelArray = new Int16Array(dimensions[0] * dimensions[1] * dimensions[2])): Volume {
  return createVolume({
    dimensions,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}
