import type { PostprocessingStep } from '../ModelSpec.js';
import type { TransformContext } from './mapPreprocessing.js';
import { UnevaluatedExpression } from './BundleValue.js';
import { parseChannelLambda } from './parseChannelLambda.js';
import { TransformArgs, TransformProblem } from './TransformArgs.js';

type PostprocessingMapper = (a: TransformArgs, context: TransformContext) => PostprocessingStep;

function activations(a: TransformArgs): PostprocessingStep {
  const softmax = a.boolean('softmax', false, true);
  const sigmoid = a.boolean('sigmoid', false, true);
  a.requireDefault('other', [null], 'a custom activation function');
  if (softmax && sigmoid) throw new TransformProblem('softmax and sigmoid are both true, which MONAI refuses');
  return { kind: 'Activationsd', softmax, sigmoid };
}

function keysOf(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

function invert(a: TransformArgs, context: TransformContext): PostprocessingStep {
  if (a.raw('transform') !== context.preprocessing || context.preprocessing === undefined) {
    throw new TransformProblem('it inverts something other than the preprocessing (Axial inverts "@preprocessing" only)');
  }
  const origKeys = keysOf(a.raw('orig_keys'));
  // After a ConcatItemsd, a channel key's transforms are the image's (they ran before the stacking).
  if (!origKeys?.some((k) => k === context.imageKey || context.channelKeys?.includes(k))) {
    throw new TransformProblem(`orig_keys must name the image "${context.imageKey}", whose preprocessing is inverted`);
  }
  a.requireDefault('post_func', [null], 'a custom function after inverting');
  a.ignore('meta_keys', 'orig_meta_keys', 'meta_key_postfix', 'to_tensor', 'device');
  return { kind: 'Invertd', nearestInterp: a.boolean('nearest_interp', true, true) };
}

function asDiscrete(a: TransformArgs): PostprocessingStep {
  a.requireDefault('to_onehot', [null], 'Axial keeps labels, not one-hot channels');
  a.requireDefault('rounding', [null]);
  a.requireDefault('dim', [0]);
  a.requireDefault('keepdim', [true]);
  return { kind: 'AsDiscreted', argmax: a.boolean('argmax', false, true), threshold: a.nullableNumber('threshold', null, true) };
}

function keepLargestConnectedComponent(a: TransformArgs): PostprocessingStep {
  const labels = a.raw('applied_labels');
  let appliedLabels: number[] | null = null;
  if (labels !== undefined && labels !== null) {
    appliedLabels = a.numbers('applied_labels');
    if (appliedLabels.some((v) => !Number.isInteger(v))) throw new TransformProblem('applied_labels must be whole numbers');
  }
  const connectivity = a.nullableNumber('connectivity', null) ?? 3;
  if (connectivity !== 1 && connectivity !== 2 && connectivity !== 3) throw new TransformProblem(`connectivity ${connectivity} is not 1, 2 or 3`);
  a.requireDefault('is_onehot', [null, false], 'Axial applies it to a label map');
  a.requireDefault('num_components', [1]);
  return {
    kind: 'KeepLargestConnectedComponentd',
    appliedLabels,
    independent: a.boolean('independent', true),
    connectivity,
  };
}

/** Lambdad whose func merges channels with torch.where (see parseChannelLambda); any other func stays unsupported, named. */
function lambda(a: TransformArgs, context: TransformContext): PostprocessingStep {
  const func = a.raw('func');
  // The resolver leaves a lambda unevaluated (it is code, not a value); its text is read here, never run.
  if (!(func instanceof UnevaluatedExpression) || !/^lambda\b/.test(func.expression)) {
    throw new TransformProblem('its func is not a lambda Axial can read');
  }
  a.requireDefault('overwrite', [true], 'Axial replaces the prediction');
  a.ignore('inv_func', 'track_meta');
  try {
    return { kind: 'Lambdad', source: func.expression, expression: parseChannelLambda(func.expression, context.outputChannels ?? Infinity) };
  } catch (error) {
    if (error instanceof TransformProblem) throw new TransformProblem(`"$${func.expression}": ${error.message}`);
    throw error;
  }
}

/** Postprocessing transforms Axial runs, by MONAI class name. */
export const postprocessingMappers: Readonly<Record<string, PostprocessingMapper>> = {
  Activationsd: activations,
  Invertd: invert,
  AsDiscreted: asDiscrete,
  KeepLargestConnectedComponentd: keepLargestConnectedComponent,
  Lambdad: lambda,
};
