import type { Vec3 } from '../geometry/types.js';
import type { NumericArray } from '../voxels/NumericArray.js';

/** An inclusive box of voxel indices: min[a] ≤ index a ≤ max[a]. */
export interface VoxelBox {
  readonly min: Vec3;
  readonly max: Vec3;
}

/**
 * Seeds and barriers over the whole grid (i fastest, then j, then k):
 * 0 a voxel to grow into, 1…254 the seed class a voxel is painted with,
 * {@link BLOCKED} a voxel left as it is and never grown through (a locked
 * segment, a segment that takes no part).
 */
export type SeedMap = Uint8Array;

/** The seed-map value of a voxel that is neither grown into nor through. */
export const BLOCKED = 255;

/** What every grow needs: the scan and how to walk it. */
export interface GrowFromSeedsOptions {
  readonly dimensions: Vec3;
  /** Voxel size (mm) along i, j, k: the distance penalty is per mm. */
  readonly spacing: Vec3;
  /** The scan's values (rescaled), i fastest. */
  readonly image: NumericArray;
  /** 6 (faces) or 26 (faces, edges, corners; Slicer's) neighbours. */
  readonly neighbourhood: 6 | 26;
  /**
   * Cost added per mm walked, in image units (Slicer's "seed locality"):
   * 0 follows only the image; larger values make each voxel go to nearer seeds.
   */
  readonly distancePenalty: number;
  /** Grow inside this box only; none: the seeds' bounding box widened by {@link GrowFromSeedsOptions.marginFraction}. */
  readonly box?: VoxelBox;
  /** The default box's margin on each side, as a fraction of the seeds' extent along that axis (Slicer's 0.1; at least 3 voxels). */
  readonly marginFraction?: number;
}

/** A grow's labels within its box. */
export interface GrowFromSeedsResult {
  readonly box: VoxelBox;
  /** Box-sized (i fastest): the seed class each voxel grew to, 0 where blocked or unreached. */
  readonly labels: Uint8Array;
  /** Voxels that were popped from the queue (settled), for timing per voxel. */
  readonly settled: number;
  /** Whether the previous result was reused (only seeds were added since). */
  readonly incremental: boolean;
}
