import { AxialError } from '../../errors/AxialError.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import type { NotFiniteSpot } from './locateNotFinite.js';

export interface FinitePatchesParams {
  /** Where the batch's output, [count, channels, rx, ry, rz] (z fastest), first holds a value that is not finite (locateNotFinite). */
  readonly spot: NotFiniteSpot;
  /** The batch's input, [count, 1, rx, ry, rz]; read only when the output is not finite, to say where the NaN came from. */
  readonly input: Float32Array;
  /** Each patch's first voxel in the padded grid. */
  readonly windows: readonly (readonly [number, number, number])[];
  readonly roi: readonly [number, number, number];
  readonly channels: number;
  /** Padding before the image on each axis (the padded grid's origin is at minus this). */
  readonly padBefore: readonly [number, number, number];
  /** The network's input grid (the image after preprocessing). */
  readonly dimensions: Vec3;
  /** Patches run before this batch, and in all. */
  readonly first: number;
  readonly total: number;
  /** The model file, named in front of the error. */
  readonly modelPath?: string;
}

function isFinite32(value: number): boolean {
  return value - value === 0;
}

/**
 * The error for a batch whose output holds a NaN or an infinity (the sliding
 * window finds that cheaply while blending; locateNotFinite looks at the batch
 * again to say where). Softmax and argmax would turn NaN into a confident label 0, so
 * a broken model, or an image with NaN voxels, would read as "no findings".
 * @returns INFERENCE_NOT_FINITE naming the first bad patch's position in the network's grid, its output channel, how many
 *   values are bad, and whether its input was already not finite.
 */
export function notFinitePatchError(params: FinitePatchesParams): AxialError {
  const { spot, input, windows, roi, channels, padBefore, dimensions } = params;
  const patchSize = roi[0] * roi[1] * roi[2];
  const { at, ...kinds } = spot;
  const patch = Math.floor(at / (channels * patchSize));
  const channel = Math.floor((at % (channels * patchSize)) / patchSize);
  const offset = at % patchSize;
  const inPatch = [Math.floor(offset / (roi[1] * roi[2])), Math.floor(offset / roi[2]) % roi[1], offset % roi[2]];
  const start = windows[patch]!.map((w, a) => w - padBefore[a]!);
  const firstBad = start.map((s, a) => s + inPatch[a]!);
  const which = Object.entries(kinds)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  let badInput = 0;
  for (const v of input.subarray(patch * patchSize, (patch + 1) * patchSize)) if (!isFinite32(v)) badInput++;
  const cause =
    badInput > 0
      ? `its input already holds ${badInput} non-finite values: the image has NaN or infinite voxels there`
      : 'its input is finite, so the model produced them';
  return new AxialError(
    'INFERENCE_NOT_FINITE',
    `the network's output is not finite in patch ${params.first + patch + 1} of ${params.total}, ` +
      `starting at voxel (${start.join(', ')}) of its ${dimensions.join('×')} input grid (after preprocessing), ` +
      `output channel ${channel}: ${which} of ${patchSize} values, the first at voxel (${firstBad.join(', ')}); ${cause}`,
    params.modelPath === undefined ? {} : { file: params.modelPath },
  );
}
