import type { SlidingWindowSpec } from '../ModelSpec.js';
import { windowBatchSize } from './windowBatchSize.js';

/**
 * The bytes of one network call's output in the sliding window (its batch of windows, every channel, float32), or
 * undefined when the window is the whole image (a roi_size of 0 or less along an axis), whose size the model cannot tell.
 */
export function windowOutputBytes(spec: {
  readonly inferer: Pick<SlidingWindowSpec, 'roiSize' | 'swBatchSize'>;
  readonly output: { readonly channels: number };
}): number | undefined {
  const { roiSize, swBatchSize } = spec.inferer;
  if (roiSize.some((r) => r <= 0)) return undefined;
  const patchSize = roiSize[0] * roiSize[1] * roiSize[2];
  const channels = spec.output.channels;
  return windowBatchSize(patchSize, channels, swBatchSize) * patchSize * channels * 4;
}
