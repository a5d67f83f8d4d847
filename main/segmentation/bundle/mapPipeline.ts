import type { InteractiveSpec, PostprocessingStep, PreprocessingStep, SlidingWindowSpec, UnsupportedItem } from '../ModelSpec.js';
import { DeepEditCollector } from './DeepEditCollector.js';
import { describeMarker, isBundleMarker, isBundleObject, type BundleObject, type BundleValue } from './BundleValue.js';
import { mapInferer } from './mapInferer.js';
import { postprocessingMappers } from './mapPostprocessing.js';
import { preprocessingMappers, type TransformContext } from './mapPreprocessing.js';
import { TransformArgs, TransformProblem } from './TransformArgs.js';
import { beforeConcat } from './beforeConcat.js';
import { findChannelConcat, type ChannelConcat } from './findChannelConcat.js';
import { perChannelStep } from './perChannelStep.js';
import { spatialOrderProblems } from './spatialOrderProblems.js';

/** What a bundle or sidecar says to run, already resolved (references replaced, expressions evaluated or marked). */
export interface PipelineSource {
  readonly preprocessing: BundleValue | undefined;
  readonly inferer: BundleValue | undefined;
  readonly postprocessing: BundleValue | undefined;
  /** Data key of the network input (metadata's first input), e.g. `image`. */
  readonly imageKey: string;
  /** Data key of the network output (metadata's first output), e.g. `pred`. */
  readonly predKey: string;
  /** The network's output channels, when known: a Lambdad may index only these. */
  readonly outputChannels?: number;
}

export interface MappedPipeline {
  readonly preprocessing: PreprocessingStep[];
  readonly inferer: SlidingWindowSpec;
  readonly postprocessing: PostprocessingStep[];
  /** The DeepEdit click transforms of the preprocessing, when it has them. */
  readonly interactive?: InteractiveSpec;
  readonly unsupported: UnsupportedItem[];
  readonly ignored: string[];
  /** Things MONAI does as written that a reader may not expect. */
  readonly warnings: string[];
  /** The keys a ConcatItemsd stacks into the image, one per input channel in order (the sequences' names). */
  readonly channelKeys?: readonly string[];
}

/** Transforms that change nothing Axial computes: loading, channel/type bookkeeping, saving. */
const noOpTransforms = new Set([
  'LoadImage',
  'LoadImaged',
  'EnsureChannelFirst',
  'EnsureChannelFirstd',
  'AddChannel',
  'AddChanneld',
  'EnsureType',
  'EnsureTyped',
  'CastToType',
  'CastToTyped',
  'ToTensor',
  'ToTensord',
  'ToNumpyd',
  'SaveImage',
  'SaveImaged',
  'DataStatsd',
  'Identityd',
  'FromMetaTensord',
  'ToMetaTensord',
  'DeleteItemsd',
]);

interface ListedTransform {
  readonly path: string;
  readonly value: BundleValue;
}

interface Stage<S> {
  readonly mappers: Readonly<Record<string, (a: TransformArgs, context: TransformContext) => S>>;
  readonly context: TransformContext;
  readonly steps: S[];
  /** Where each of `steps` is in the config (`preprocessing.transforms[2]`). */
  readonly stepPaths: string[];
  readonly unsupported: UnsupportedItem[];
  readonly ignored: string[];
  /** What MONAI does with an argument as written that its look belies, named by transform and path. */
  readonly warnings: string[];
  /** Preprocessing only: collects MONAI DeepEdit's click transforms. */
  readonly deepEdit?: DeepEditCollector;
  /** Preprocessing only: a ConcatItemsd stacking one key per input channel into the image. */
  readonly concat?: ChannelConcat;
}

function targetOf(value: BundleObject): string | undefined {
  return typeof value._target_ === 'string' ? value._target_ : undefined;
}

/** MONAI's own classes are named with or without their module (`monai.transforms.Spacingd`). */
function className(target: string): string {
  return target.startsWith('monai.') ? target.slice(target.lastIndexOf('.') + 1) : target;
}

/** Flattens `Compose` (nested too) or a plain list into the transforms it runs, in order. */
function listTransforms(value: BundleValue | undefined, path: string, unsupported: UnsupportedItem[]): ListedTransform[] {
  if (value === undefined) {
    unsupported.push({ path, name: path, reason: `the config has no ${path}` });
    return [];
  }
  if (isBundleMarker(value)) {
    unsupported.push({ path, name: path, reason: `it is ${describeMarker(value)}` });
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => listTransforms(v, `${path}[${i}]`, unsupported));
  if (isBundleObject(value) && targetOf(value) !== undefined && className(targetOf(value)!) === 'Compose') {
    return listTransforms(value.transforms ?? [], `${path}.transforms`, unsupported);
  }
  return [{ path, value }];
}

function keysOf(value: BundleValue | undefined): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

function isDisabled(value: BundleObject): boolean {
  const d = value._disabled_;
  return d === true || (typeof d === 'string' && d.trim().toLowerCase() === 'true');
}

/** Why Axial has no step for a transform it does not ignore. */
function noMapperReason(name: string, stage: Stage<unknown>): string {
  if (name === 'Lambdad') return 'it runs arbitrary Python code';
  if (name.startsWith('Rand')) return 'a random transform has no place in inference';
  const other = stage.mappers === preprocessingMappers ? 'postprocessing' : 'preprocessing';
  const otherMappers: object = other === 'postprocessing' ? postprocessingMappers : preprocessingMappers;
  if (Object.hasOwn(otherMappers, name)) return `Axial runs ${name} in ${other} only`;
  return `Axial does not run ${name}`;
}

/** Where a transform goes when it has no step: an ignored line, an unsupported reason, or undefined to map it. */
function triage(name: string, target: string, value: BundleObject, stage: Stage<unknown>): { ignored: string } | { reason: string } | undefined {
  const key = stage.context.key;
  if (isDisabled(value)) return { ignored: 'disabled' };
  if (noOpTransforms.has(name)) return { ignored: '' };
  const keys = keysOf(value.keys);
  if (keys === null) {
    return { reason: isBundleMarker(value.keys) ? `keys is ${describeMarker(value.keys)}` : 'it has no keys naming the data it applies to' };
  }
  if (name === 'CopyItemsd') {
    const names = keysOf(value.names);
    if (names === null || names.includes(key) || names.includes(stage.context.imageKey)) return { reason: `it may overwrite "${key}"` };
    return { ignored: 'copies for saving' };
  }
  if (!keys.includes(key)) return { ignored: `keys ${keys.join(', ')} do not include "${key}"` };
  if (target.includes('.') && !target.startsWith('monai.')) return { reason: `a custom transform (${target}) that Axial cannot run` };
  if (!Object.hasOwn(stage.mappers, name)) return { reason: noMapperReason(name, stage) };
  return undefined;
}

/**
 * Around a ConcatItemsd into the image: the concat itself is bookkeeping, and a transform before it on the
 * channel keys is read as the image's (see beforeConcat). Returns the value to map, or null when it is settled.
 */
function throughConcat<S>(stage: Stage<S>, { path, value }: ListedTransform, index: number): BundleValue | null {
  const concat = stage.concat;
  if (!concat || index > concat.index || !isBundleObject(value) || isDisabled(value)) return value;
  const name = className(targetOf(value) ?? '');
  if (index === concat.index) {
    stage.ignored.push(`${name} (${path}, stacks ${concat.keys.join(', ')} into the image's channels)`);
    return null;
  }
  if (noOpTransforms.has(name)) return value;
  const view = beforeConcat(value, concat, stage.context.imageKey);
  if (view === undefined) return value;
  if ('reason' in view) {
    stage.unsupported.push({ path, name, reason: view.reason });
    return null;
  }
  return view.value;
}

/** Maps one transform into its stage: a step, an ignored line, or an unsupported item. */
function mapTransform<S>(stage: Stage<S>, listed: ListedTransform, index = -1): void {
  const { path } = listed;
  const value = throughConcat(stage, listed, index);
  if (value === null) return;
  const target = isBundleObject(value) ? targetOf(value) : undefined;
  if (!isBundleObject(value) || target === undefined) {
    stage.unsupported.push({ path, name: 'transform', reason: 'it is not a component with a _target_' });
    return;
  }
  const name = className(target);
  if (stage.deepEdit && !isDisabled(value) && DeepEditCollector.accepts(name, target)) {
    stage.deepEdit.add(name, value, path, stage.steps.length);
    return;
  }
  const verdict = triage(name, target, value, stage as Stage<unknown>);
  if (verdict !== undefined) {
    if ('reason' in verdict) stage.unsupported.push({ path, name, reason: verdict.reason });
    else stage.ignored.push(`${name} (${path}${verdict.ignored ? `, ${verdict.ignored}` : ''})`);
    return;
  }
  try {
    const keys = keysOf(value.keys)!;
    const args = new TransformArgs(value, typeof value.keys === 'string' ? null : keys.indexOf(stage.context.key));
    const mapped = stage.mappers[name]!(args, stage.context);
    args.finish();
    // Before the concat, an intensity step ran on each channel key alone: per channel on the stacked image.
    const step = stage.concat && index < stage.concat.index ? (perChannelStep(mapped as PreprocessingStep) as S) : mapped;
    stage.steps.push(step);
    stage.stepPaths.push(path);
    stage.warnings.push(...args.warnings.map((w) => `${name} (${path}): ${w}`));
  } catch (error) {
    if (!(error instanceof TransformProblem)) throw error;
    stage.unsupported.push({ path, name, reason: error.message });
  }
}

/** MONAI's DeepEdit transforms that take clicks or stand in for them. */
function isClickTransform({ value }: ListedTransform): boolean {
  const target = isBundleObject(value) ? targetOf(value) : undefined;
  return target !== undefined && DeepEditCollector.isClickTransform(className(target));
}

/**
 * Invertd interpolating (nearest_interp false, after a bilinear Spacingd) a map that is already labels gives MONAI
 * fractional labels at edges, which a label map cannot hold: Axial says what it gives instead (see segmentVolume).
 */
function postprocessingWarnings(steps: readonly PostprocessingStep[], preprocessing: readonly PreprocessingStep[]): string[] {
  const discrete = steps.findIndex((s) => s.kind === 'AsDiscreted' && (s.argmax || s.threshold !== null));
  const invert = steps.findIndex((s) => s.kind === 'Invertd' && !s.nearestInterp);
  const interpolated = preprocessing.some((s) => s.kind === 'Spacingd' && s.mode !== 'nearest');
  if (discrete < 0 || invert < discrete || !interpolated) return [];
  const cleaned = steps.slice(discrete, invert).some((s) => s.kind === 'KeepLargestConnectedComponentd');
  const instead = cleaned
    ? 'Axial keeps the largest components on the network grid, as MONAI does, and gives each voxel the label of the network voxel nearest it'
    : 'Axial interpolates the probabilities instead and makes the labels from them, so edge voxels may differ from MONAI’s values rounded';
  return [`Invertd interpolates (nearest_interp false) the labels AsDiscreted made, which in MONAI gives in-between values at label edges; ${instead}`];
}

/**
 * A Lambdad is evaluated on the thresholded channels, after Invertd: it must follow sigmoid Activationsd and
 * AsDiscreted(threshold), and only KeepLargestConnectedComponentd may come after it (on its labels).
 */
function lambdaPlacementProblems(steps: readonly PostprocessingStep[]): UnsupportedItem[] {
  const at = steps.findIndex((s) => s.kind === 'Lambdad');
  if (at < 0) return [];
  const before = steps.slice(0, at);
  const sigmoid = before.some((s) => s.kind === 'Activationsd' && s.sigmoid);
  const threshold = before.some((s) => s.kind === 'AsDiscreted' && !s.argmax && s.threshold !== null);
  const after = steps.slice(at + 1).filter((s) => s.kind !== 'KeepLargestConnectedComponentd');
  const reason =
    !sigmoid || !threshold
      ? 'Axial evaluates a Lambdad on sigmoid channels after AsDiscreted(threshold) only'
      : after.length > 0
        ? `${after[0]!.kind} after the Lambdad is not supported`
        : '';
  return reason ? [{ path: 'postprocessing', name: 'Lambdad', reason }] : [];
}

/**
 * Maps resolved preprocessing, inferer and postprocessing (from a bundle or a
 * sidecar) to Axial's steps: each transform becomes a step, an ignored no-op,
 * or an unsupported item naming where it is and why.
 */
export function mapPipeline(source: PipelineSource): MappedPipeline {
  const unsupported: UnsupportedItem[] = [];
  const ignored: string[] = [];
  const warnings: string[] = [];
  const common = {
    imageKey: source.imageKey,
    preprocessing: source.preprocessing,
    ...(source.outputChannels === undefined ? {} : { outputChannels: source.outputChannels }),
  };
  const listed = listTransforms(source.preprocessing, 'preprocessing', unsupported);
  // Resized is a DeepEdit step only beside DeepEdit's click transforms; elsewhere it stays unsupported as before.
  const deepEdit = listed.some(isClickTransform) ? new DeepEditCollector(source.imageKey) : undefined;
  const concat = findChannelConcat(
    listed.map((t) => t.value),
    source.imageKey,
  );
  const pre: Stage<PreprocessingStep> = {
    mappers: preprocessingMappers,
    context: { ...common, key: source.imageKey },
    steps: [],
    stepPaths: [],
    unsupported,
    ignored,
    warnings,
    ...(deepEdit ? { deepEdit } : {}),
    ...(concat ? { concat } : {}),
  };
  for (const [index, t] of listed.entries()) mapTransform(pre, t, index);
  unsupported.push(...spatialOrderProblems(pre.steps, pre.stepPaths));
  const interactive = deepEdit?.finish(pre.steps.length);
  unsupported.push(...(deepEdit?.unsupported ?? []));
  ignored.push(...(deepEdit?.ignored ?? []));
  const inferer = mapInferer(source.inferer);
  unsupported.push(...inferer.unsupported);
  const post: Stage<PostprocessingStep> = {
    mappers: postprocessingMappers,
    context: { ...common, key: source.predKey, ...(concat ? { channelKeys: concat.keys } : {}) },
    steps: [],
    stepPaths: [],
    unsupported,
    ignored,
    warnings,
  };
  for (const t of listTransforms(source.postprocessing, 'postprocessing', unsupported)) mapTransform(post, t);
  unsupported.push(...lambdaPlacementProblems(post.steps));
  return {
    preprocessing: pre.steps,
    inferer: inferer.inferer,
    postprocessing: post.steps,
    ...(interactive === undefined ? {} : { interactive }),
    unsupported,
    ignored,
    warnings: [...warnings, ...postprocessingWarnings(post.steps, pre.steps)],
    ...(concat ? { channelKeys: concat.keys } : {}),
  };
}
