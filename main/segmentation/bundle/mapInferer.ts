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

/** The values of an overlap or sigma_scale, refused where one is NaN or infinite (a NaN differs even from itself). */
function finiteNumbers(a: TransformArgs, name: string, fallback: number): number[] {
  const values = a.numbers(name, [fallback]);
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new TransformProblem(`${name} is ${bad}, not a finite number`);
  return values;
}

/** One number for every axis: MONAI takes a number or one per axis; Axial needs them equal. */
function sameOnEveryAxis(a: TransformArgs, name: string, fallback: number): number {
  const values = finiteNumbers(a, name, fallback);
  if (values.some((v) => v !== values[0])) throw new TransformProblem(`${name} differs between axes [${values.join(', ')}]`);
  return values[0]!;
}

function slidingWindow(a: TransformArgs): SlidingWindowSpec {
  const roiSize = exactly3(a.numbers('roi_size'), 'roi_size');
  const overlap = sameOnEveryAxis(a, 'overlap', monaiSlidingWindowDefaults.overlap);
  if (!(overlap >= 0 && overlap < 1)) throw new TransformProblem(`overlap ${overlap} is not in [0, 1)`);
  return windowSettings(a, roiSize, overlap, sameOnEveryAxis(a, 'sigma_scale', monaiSlidingWindowDefaults.sigmaScale));
}

/**
 * The arguments SlidingWindowInferer and SliceInferer share, with MONAI's defaults; a non-positive roi_size component is the image's size.
 * A gaussian window's sigma_scale must be above 0: at 0 MONAI's compute_importance_map divides 0 by 0 at the window's centre
 * (NaN weights, and NaN sums that argmax reads as label 0). A negative one, which MONAI squares, is refused as a mistake.
 */
function windowSettings(a: TransformArgs, roi: readonly number[], overlap: number, sigmaScale: number): SlidingWindowSpec {
  const roiSize = roi.map((v) => Math.max(0, v)) as [number, number, number];
  if (roiSize.some((v) => !Number.isInteger(v))) throw new TransformProblem(`roi_size [${roi.join(', ')}] must be whole numbers`);
  const swBatchSize = a.number('sw_batch_size', monaiSlidingWindowDefaults.swBatchSize);
  if (!(Number.isInteger(swBatchSize) && swBatchSize >= 1)) throw new TransformProblem(`sw_batch_size ${swBatchSize} is not a whole number from 1`);
  const mode = a.choice('mode', ['constant', 'gaussian'], monaiSlidingWindowDefaults.mode);
  if (mode === 'gaussian' && !(sigmaScale > 0)) throw new TransformProblem(`sigma_scale is ${sigmaScale}; a gaussian window needs one above 0`);
  const spec: SlidingWindowSpec = {
    roiSize,
    swBatchSize,
    overlap,
    mode,
    sigmaScale,
    paddingMode: a.choice('padding_mode', ['constant', 'replicate', 'reflect'], monaiSlidingWindowDefaults.paddingMode),
    cval: a.number('cval', monaiSlidingWindowDefaults.cval),
  };
  a.requireDefault('with_coord', [false]);
  a.ignore('sw_device', 'device', 'progress', 'cache_roi_weight_map', 'cpu_thresh', 'buffer_steps', 'buffer_dim');
  return spec;
}

/**
 * MONAI's SliceInferer (monai.inferers.SliceInferer): a 2D network over the slices across `spatial_dim` (default 0)
 * of the [C, x, y, z] image, through SlidingWindowInferer with `roi_size` (two numbers) given a 1 inserted at
 * `spatial_dim`. The window is then one slice thick, its interval along the slices 1 (int(1 × (1 − overlap)) is 0,
 * raised to 1) and its gaussian factor there exp(0) = 1, so the 3D sliding window gives the 2D answer per slice.
 * Its other arguments, and their defaults, are SlidingWindowInferer's, given one value or one per axis of the 3D image.
 */
function sliceWindow(a: TransformArgs): SlidingWindowSpec {
  const dim = a.number('spatial_dim', 0);
  if (dim !== 0 && dim !== 1 && dim !== 2) throw new TransformProblem(`spatial_dim ${dim} is not 0, 1 or 2 (MONAI's SliceInferer takes those only)`);
  const plane = a.numbers('roi_size');
  if (plane.length !== 2) {
    throw new TransformProblem(`roi_size [${plane.join(', ')}] is not two numbers (MONAI's SliceInferer takes a 2D roi_size over a 3D image)`);
  }
  const roiSize = [...plane] as number[];
  roiSize.splice(dim, 0, 1);
  const inPlane = (values: number[], name: string): number => {
    if (values.length === 3) values = values.filter((_, axis) => axis !== dim);
    else if (values.length !== 1) throw new TransformProblem(`${name} [${values.join(', ')}] must be one number or one per axis of the 3D image`);
    // Along the slices the window is 1 thick: its overlap and sigma there change nothing.
    if (values.some((v) => v !== values[0])) throw new TransformProblem(`${name} differs between the slice's axes [${values.join(', ')}]`);
    return values[0]!;
  };
  const overlaps = finiteNumbers(a, 'overlap', monaiSlidingWindowDefaults.overlap);
  if (overlaps.some((o) => !(o >= 0 && o < 1))) throw new TransformProblem(`overlap [${overlaps.join(', ')}] is not in [0, 1)`);
  const overlap = inPlane(overlaps, 'overlap');
  const sigmaScale = inPlane(finiteNumbers(a, 'sigma_scale', monaiSlidingWindowDefaults.sigmaScale), 'sigma_scale');
  const spec = windowSettings(a, roiSize, overlap, sigmaScale);
  return { ...spec, sliceAxis: dim };
}

function targetName(target: string): string {
  return target.startsWith('monai.') ? target.slice(target.lastIndexOf('.') + 1) : target;
}

/**
 * Maps a bundle's `inferer` to Axial's sliding window: SlidingWindowInferer
 * (and SlidingWindowInfererAdapt, which gives the same result) with MONAI's
 * defaults for missing keys, SliceInferer as a window one slice thick with the
 * slice axis named, SimpleInferer as {@link wholeImageWindow}.
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
    else if (name === 'SliceInferer') inferer = sliceWindow(a);
    else return fail(name, 'Axial runs SlidingWindowInferer, SliceInferer and SimpleInferer only');
    a.finish();
    return { inferer, unsupported: [] };
  } catch (error) {
    if (error instanceof TransformProblem) return fail(name, error.message);
    throw error;
  }
}
