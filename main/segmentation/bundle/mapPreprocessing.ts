import type { PreprocessingStep } from '../ModelSpec.js';
import { UnevaluatedExpression } from './BundleValue.js';
import { exactly3, fillTo3, TransformArgs, TransformProblem } from './TransformArgs.js';
import { monaiPadModes, type PadMode } from '../pipeline/padModes.js';

/** What a transform mapper knows besides its arguments. */
export interface TransformContext {
  /** The data key the step applies to (the image for preprocessing, the prediction for postprocessing). */
  readonly key: string;
  /** The image key (Invertd's `orig_keys`, CropForegroundd's `source_key`). */
  readonly imageKey: string;
  /** The resolved preprocessing, which Invertd's `transform` must be. */
  readonly preprocessing: unknown;
  /** The network's output channels, which a Lambdad's channel indices must lie within (unknown: any). */
  readonly outputChannels?: number;
  /** Keys a ConcatItemsd stacked into the image: Invertd may name any of them as its orig_keys. */
  readonly channelKeys?: readonly string[];
}

type PreprocessingMapper = (a: TransformArgs, context: TransformContext) => PreprocessingStep;

const positive = (values: readonly number[], name: string): void => {
  if (values.some((v) => !(v > 0))) throw new TransformProblem(`${name} [${values.join(', ')}] has a value that is not positive`);
};

function orientation(a: TransformArgs): PreprocessingStep {
  a.flagOff('as_closest_canonical', 'Axial reorients to the named axcodes only');
  a.requireDefault(
    'labels',
    [
      [
        ['L', 'R'],
        ['P', 'A'],
        ['I', 'S'],
      ],
      null,
    ],
    'only the standard L/R, P/A, I/S labels',
  );
  a.ignore('lazy');
  const axcodes = a.string('axcodes');
  const axes = [...axcodes].map((c) => 'LRPAIS'.indexOf(c) >> 1);
  if (axcodes.length !== 3 || axes.includes(-1) || new Set(axes).size !== 3) {
    throw new TransformProblem(`axcodes "${axcodes}" is not three of L/R, P/A, I/S, one per axis`);
  }
  return { kind: 'Orientationd', axcodes };
}

function spacing(a: TransformArgs): PreprocessingStep {
  const pixdim = fillTo3(a.numbers('pixdim'), 'pixdim');
  positive(pixdim, 'pixdim');
  const mode = a.choice('mode', ['bilinear', 'nearest'], 'bilinear', true);
  a.requireDefault('padding_mode', ['border'], 'Axial resamples with border padding only');
  a.requireDefault('align_corners', [false]);
  a.requireDefault('diagonal', [false]);
  a.requireDefault('scale_extent', [false]);
  a.requireDefault('recompute_affine', [false]);
  a.requireDefault('min_pixdim', [null]);
  a.requireDefault('max_pixdim', [null]);
  a.ignore('dtype', 'lazy', 'ensure_same_shape');
  return { kind: 'Spacingd', pixdim, mode };
}

function scaleIntensityRange(a: TransformArgs): PreprocessingStep {
  a.ignore('dtype');
  return {
    kind: 'ScaleIntensityRanged',
    aMin: a.number('a_min'),
    aMax: a.number('a_max'),
    bMin: a.nullableNumber('b_min', null),
    bMax: a.nullableNumber('b_max', null),
    clip: a.boolean('clip', false),
  };
}

/** MONAI's channel_wise, kept on the step only when true (a single image is one channel either way). */
const channelWise = (a: TransformArgs): { channelWise?: true } => (a.boolean('channel_wise', false) ? { channelWise: true } : {});

function scaleIntensityRangePercentiles(a: TransformArgs): PreprocessingStep {
  a.ignore('dtype');
  const lower = a.number('lower');
  const upper = a.number('upper');
  if (!(lower >= 0 && lower <= upper && upper <= 100)) throw new TransformProblem(`percentiles ${lower}–${upper} are not within 0–100`);
  return {
    kind: 'ScaleIntensityRangePercentilesd',
    lower,
    upper,
    bMin: a.nullableNumber('b_min', undefined),
    bMax: a.nullableNumber('b_max', undefined),
    clip: a.boolean('clip', false),
    relative: a.boolean('relative', false),
    ...channelWise(a),
  };
}

function scaleIntensity(a: TransformArgs): PreprocessingStep {
  a.ignore('dtype');
  return {
    kind: 'ScaleIntensityd',
    minv: a.nullableNumber('minv', 0),
    maxv: a.nullableNumber('maxv', 1),
    factor: a.nullableNumber('factor', null),
    ...channelWise(a),
  };
}

function normalizeIntensity(a: TransformArgs): PreprocessingStep {
  a.ignore('dtype');
  return {
    kind: 'NormalizeIntensityd',
    nonzero: a.boolean('nonzero', false),
    channelWise: a.boolean('channel_wise', false),
    subtrahend: a.nullableNumber('subtrahend', null),
    divisor: a.nullableNumber('divisor', null),
  };
}

function resizeWithPadOrCrop(a: TransformArgs): PreprocessingStep {
  const spatialSize = exactly3(a.numbers('spatial_size'), 'spatial_size');
  if (spatialSize.some((v) => !(Number.isInteger(v) && v > 0))) {
    throw new TransformProblem(`spatial_size [${spatialSize.join(', ')}] must be positive whole numbers (-1, keep the size, is not supported)`);
  }
  const padMode = padModeOf(a);
  a.requireDefault('method', ['symmetric']);
  a.ignore('lazy');
  const padValue = a.number('value', a.number('constant_values', 0));
  return { kind: 'ResizeWithPadOrCropd', spatialSize, padValue, padMode };
}

/** MONAI's default select_fn is `x > 0`; Axial also reads `$lambda x: x > T` for a constant T. */
function foregroundThreshold(a: TransformArgs): number {
  const fn = a.raw('select_fn');
  if (fn === undefined) return 0;
  const m = fn instanceof UnevaluatedExpression ? /^lambda\s+(\w+)\s*:\s*\1\s*>\s*(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)$/.exec(fn.expression) : null;
  if (!m)
    throw new TransformProblem(
      `select_fn ${fn instanceof UnevaluatedExpression ? `"$${fn.expression}"` : JSON.stringify(fn)} is not supported (only "lambda x: x > T")`,
    );
  return Number(m[2]);
}

function cropForeground(a: TransformArgs, context: TransformContext): PreprocessingStep {
  const sourceKey = a.string('source_key');
  if (sourceKey !== context.imageKey) throw new TransformProblem(`it finds the foreground in "${sourceKey}", not in the image "${context.imageKey}"`);
  const threshold = foregroundThreshold(a);
  const margin = exactly3(a.numbers('margin', [0]), 'margin');
  if (margin.some((m) => !(Number.isInteger(m) && m >= 0))) throw new TransformProblem(`margin [${margin.join(', ')}] must be whole numbers from 0`);
  const allowSmaller = a.boolean('allow_smaller', false);
  a.requireDefault('channel_indices', [null]);
  a.requireDefault('k_divisible', [1, [1, 1, 1]]);
  // MONAI pads only a box that overruns the image (a margin with allow_smaller false).
  const padMode = padModeOf(a);
  a.ignore('start_coord_key', 'end_coord_key', 'lazy');
  return { kind: 'CropForegroundd', threshold, margin, allowSmaller, padMode };
}

/** A padding transform's `mode` (one value, or MONAI's per-key list), with torch's names mapped to numpy's as MONAI does. */
function padModeOf(a: TransformArgs): PadMode {
  const name = a.string('mode', 'constant', true);
  const mode = Object.hasOwn(monaiPadModes, name) ? monaiPadModes[name] : undefined;
  if (mode === undefined) throw new TransformProblem(`mode "${name}" is not a padding mode Axial runs (${Object.keys(monaiPadModes).join(', ')})`);
  return mode;
}

/** Preprocessing transforms Axial runs, by MONAI class name. */
export const preprocessingMappers: Readonly<Record<string, PreprocessingMapper>> = {
  Orientationd: orientation,
  Spacingd: spacing,
  ScaleIntensityRanged: scaleIntensityRange,
  ScaleIntensityRangePercentilesd: scaleIntensityRangePercentiles,
  ScaleIntensityd: scaleIntensity,
  NormalizeIntensityd: normalizeIntensity,
  ResizeWithPadOrCropd: resizeWithPadOrCrop,
  CropForegroundd: cropForeground,
};
