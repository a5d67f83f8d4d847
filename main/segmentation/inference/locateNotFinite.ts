/** Where a batch's output first holds a value that is not finite, and what its patch's channel holds of each kind. */
export interface NotFiniteSpot {
  /** The first such value's index in the batch's output, [count, channels, rx, ry, rz]. */
  readonly at: number;
  readonly NaN: number;
  readonly Infinity: number;
  readonly '-Infinity': number;
}

/**
 * Finds the first value of `output` (a batch's, `channels` a patch, `patchSize` values a channel) that is not finite,
 * and counts each kind over that patch's channel: what notFinitePatchError says, found wherever the output is (the
 * leaders sweep's thread hands on this, not the output). Returns undefined when every value is finite.
 */
export function locateNotFinite(output: Float32Array, channels: number, patchSize: number): NotFiniteSpot | undefined {
  let at = 0;
  while (at < output.length && output[at]! - output[at]! === 0) at++;
  if (at === output.length) return undefined;
  const channelStart = Math.floor(at / patchSize) * patchSize;
  const kinds = { NaN: 0, Infinity: 0, '-Infinity': 0 };
  for (const v of output.subarray(channelStart, channelStart + patchSize)) if (v - v !== 0) kinds[String(v) as keyof typeof kinds]++;
  return { at, ...kinds };
}
