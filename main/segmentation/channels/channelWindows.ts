import type { RunBatch } from '../inference/slidingWindowInference.js';

/** A multi-channel image made slidable by a single-channel sliding window: voxel numbers, and the network behind a gatherer. */
export interface ChannelWindows {
  /** What the sliding window slides over in place of the image: each voxel's number, see {@link channelWindows}. */
  readonly data: Float32Array;
  /** The network behind a gatherer: each patch of voxel numbers becomes the patch of every channel. */
  readonly runBatch: RunBatch;
}

/**
 * Feeds a network of several input channels through a sliding window that cuts single-channel patches
 * (slidingWindowInference). The window slides over a map of voxel numbers instead of the image: voxel n holds
 * n + 1 as the bit pattern of a float32 (copied, never computed on, so every number up to 2^31 survives exactly;
 * as a float value they would stop at 2^24). The window pads as it pads the image: constant padding writes 0 (so
 * the window's cval must be 0, and `cval` is put in every channel instead); replicate and reflect copy numbers,
 * which then fetch the replicated or reflected voxel of every channel. Each batch is then gathered into
 * [count, C, roi] and handed to `runBatch`.
 * @param channels every channel's preprocessed image, in the window's order (k fastest), all of one size.
 */
export function channelWindows(channels: readonly Float32Array[], cval: number, runBatch: RunBatch): ChannelWindows {
  const size = channels[0]!.length;
  const numbers = new Uint32Array(size);
  for (let n = 0; n < size; n++) numbers[n] = n + 1;
  let gathered = new Float32Array(0);
  const gather: RunBatch = (input, count, roi) => {
    const patch = roi[0] * roi[1] * roi[2];
    const wanted = count * channels.length * patch;
    if (gathered.length < wanted) gathered = new Float32Array(wanted);
    const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
    for (let b = 0; b < count; b++) {
      for (let c = 0; c < channels.length; c++) {
        const values = channels[c]!;
        const out = (b * channels.length + c) * patch;
        for (let p = 0; p < patch; p++) {
          const number = bits[b * patch + p]!;
          gathered[out + p] = number === 0 ? cval : values[number - 1]!;
        }
      }
    }
    return runBatch(gathered.subarray(0, wanted), count, roi);
  };
  return { data: new Float32Array(numbers.buffer), runBatch: gather };
}
