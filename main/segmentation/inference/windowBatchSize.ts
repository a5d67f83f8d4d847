/** The patches of one network call and its output hold at most 2^26 values (256 MiB as float32), or one patch when that is more. */
const maxBatchValues = 2 ** 26;

/**
 * How many windows of `patchSize` voxels the sliding window gives the network at once: the model's sw_batch_size,
 * capped so that the call's input and output (`channels` a voxel) hold at most 2^26 values, and at least one. MONAI's
 * result does not depend on sw_batch_size, so a huge one is only capped, never refused; at 105 classes one 96³ patch
 * is already 93 million values.
 */
export function windowBatchSize(patchSize: number, channels: number, swBatchSize: number): number {
  return Math.max(1, Math.min(swBatchSize, Math.floor(maxBatchValues / (patchSize * (1 + channels)))));
}
