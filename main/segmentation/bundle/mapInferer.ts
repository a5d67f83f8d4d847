import { monaiSlidingWindowDefaults, type SlidingWindowSpec, type UnsupportedItem } from '../ModelSpec.js';
import { describeMarker, isBundleMarker, isBundleObject, type BundleValue } from './BundleValue.js';
import { exactly3, TransformArgs, TransformProblem } from './TransformArgs.js';

/**
 * The whole image as one window: Axial's form of MONAI's SimpleInferer. A
 * `roiSize` component of 0 means "the image's size along that axis", which is
 * also what MONAI's SlidingWindowInferer does with a non-positive `roi_size`.
 */
export const wholeImageWindow: SlidingWindowSpec = { roiSize: [0, 0, 0], ...monaiSlidingWindowDefaults };

export interface MappedInferer {
  readonly inferer: SlidingWindowSpec;
  readonly unsupported: readonly UnsupportedItem[];
}

/** One number for every axis: MONAI takes a number or one per axis; Axial needs them equal. */
function sameOnEveryAxis(a: TransformArgs, name: string, fallback: number): number {
  const values = a.numbers(name, [fallback]);
  if (values.some((v) => v !== values[0])) throw new TransformProblem(`${name} differs between axes [${values.join(', ')}]`);
  return values[0]!;
}

function slidingWindow(a: TransformArgs): SlidingWindowSpec {
  const roiSize = exactly3(a.numbers('roi_size'), 'roi_size').map((v) => Math.max(0, v)) as [number, number, number];
  if (roiSize.some((v) => !Number.isInteger(v))) throw new TransformProblem(`roi_size [${roiSize.join(', ')}] must be whole numbers`);
  const swBatchSize = a.number('sw_batch_size', monaiSlidingWindowDefaults.swBatchSize);
  if (!(Number.isInteger(swBatchSize) && swBatchSize >= 1)) throw new TransformProblem(`sw_batch_size ${swBatchSize} is not a whole number from 1`);
  const overlap = sameOnEveryAxis(a, 'overlap', monaiSlidingWindowDefaults.overlap);
  if (!(overlap >= 0 && overlap < 1)) throw new TransformProblem(`overlap ${overlap} is not in [0, 1)`);
  const spec: SlidingWindowSpec = {
    roiSize,
    swBatchSize,
    overlap,
    mode: a.choice('mode', ['constant', 'gaussian'], monaiSlidingWindowDefaults.mode),
    sigmaScale: sameOnEveryAxis(a, 'sigma_scale', monaiSlidingWindowDefaults.sigmaScale),
    paddingMode: a.choice('padding_mode', ['constant', 'replicate', 'reflect'], monaiSlidingWindowDefaults.paddingMode),
    cval: a.number('cval', monaiSlidingWindowDefaults.cval),
  };
  a.requireDefault('with_coord', [false]);
  a.ignore('sw_device', 'device', 'progress', 'cache_roi_weight_map', 'cpu_thresh', 'buffer_steps', 'buffer_dim');
  return spec;
}

function targetName(target: string): string {
  return target.startsWith('monai.') ? target.slice(target.lastIndexOf('.') + 1) : target;
}

/**
 * Maps a bundle's `inferer` to Axial's sliding window: SlidingWindowInferer
 * (and SlidingWindowInfererAdapt, which gives the same result) with MONAI's
 * defaults for missing keys, SimpleInferer as {@link wholeImageWindow}.
 * Anything else is reported, with the whole-image window in its place.
 */
export function mapInferer(value: BundleValue | undefined, path = 'inferer'): MappedInferer {
  const fail = (name: string, reason: string): MappedInferer => ({ inferer: wholeImageWindow, unsupported: [{ path, name, reason }] });
  if (value === undefined) return fail('inferer', 'the config has no inferer');
  if (isBundleMarker(value)) return fail('inferer', `it is ${describeMarker(value)}`);
  if (!isBundleObject(value) || typeof value._target_ !== 'string') return fail('inferer', 'it is not a component with a _target_');
  const name = targetName(value._target_);
  try {
    const a = new TransformArgs(value, null);
    let inferer: SlidingWindowSpec;
    if (name === 'SimpleInferer') inferer = wholeImageWindow;
    else if (name === 'SlidingWindowInferer' || name === 'SlidingWindowInfererAdapt') inferer = slidingWindow(a);
    else return fail(name, 'Axial runs SlidingWindowInferer and SimpleInferer only');
    a.finish();
    return { inferer, unsupported: [] };
  } catch (error) {
    if (error instanceof TransformProblem) return fail(name, error.message);
    throw error;
  }
}
