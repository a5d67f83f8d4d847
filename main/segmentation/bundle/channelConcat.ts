import type { PreprocessingStep } from '../ModelSpec.js';
import { isBundleObject, type BundleObject, type BundleValue } from './BundleValue.js';

/** MONAI's ConcatItemsd stacking one key per sequence into the image key: the keys are the input channels, in order. */
export interface ChannelConcat {
  /** Position of the ConcatItemsd among the preprocessing transforms. */
  readonly index: number;
  readonly keys: readonly string[];
}

const stringKeys = (value: BundleValue | undefined): string[] | null =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;

const isConcat = (value: BundleValue): value is BundleObject =>
  isBundleObject(value) && typeof value._target_ === 'string' && /(^|\.)ConcatItemsd$/.test(value._target_);

/**
 * The preprocessing's ConcatItemsd whose `name` is the image key (`ConcatItemsd(keys=[t1, t2], name="image")`),
 * when it stacks two keys or more along the channel axis (dim 0, MONAI's default) and is the only one.
 */
export function findChannelConcat(values: readonly BundleValue[], imageKey: string): ChannelConcat | undefined {
  const found = values.flatMap((value, index) => (isConcat(value) && value.name === imageKey ? [{ value, index }] : []));
  if (found.length !== 1) return undefined;
  const { value, index } = found[0]!;
  const keys = stringKeys(value.keys);
  if (!keys || keys.length < 2 || new Set(keys).size !== keys.length || keys.includes(imageKey)) return undefined;
  if (value.dim !== undefined && value.dim !== 0) return undefined;
  if (Object.keys(value).some((k) => !['_target_', 'keys', 'name', 'dim', 'allow_missing_keys', '_disabled_'].includes(k))) return undefined;
  return { index, keys };
}

/**
 * A transform before the ConcatItemsd as the image's: one that applies to every channel key is that transform on
 * the image, its keys rewritten (the first channel key's per-key arguments are used, and must be the same for
 * every channel where they are strings, such as a mode); one that applies to some channel keys only cannot run
 * on the stacked image. Undefined when it touches no channel key.
 */
export function beforeConcat(value: BundleObject, concat: ChannelConcat, imageKey: string): { value: BundleObject } | { reason: string } | undefined {
  const keys = stringKeys(value.keys);
  if (!keys) return undefined;
  const touched = concat.keys.filter((k) => keys.includes(k));
  if (touched.length === 0) return undefined;
  if (touched.length < concat.keys.length) {
    return { reason: `it applies to ${touched.join(', ')} only, not to every channel ConcatItemsd stacks (${concat.keys.join(', ')})` };
  }
  const positions = concat.keys.map((k) => keys.indexOf(k));
  for (const [name, arg] of Object.entries(value)) {
    if (name === 'keys' || !Array.isArray(arg) || arg.length !== keys.length || !arg.every((v) => typeof v === 'string')) continue;
    if (new Set(positions.map((p) => arg[p])).size > 1) return { reason: `its ${name} differs between the channels it stacks` };
  }
  // The first channel key becomes the image key; the others leave, so per-key arguments are read at its position.
  const rewritten = keys.map((k) => (k === concat.keys[0] ? imageKey : k));
  return { value: { ...value, keys: rewritten } };
}

/**
 * An intensity step run on each channel key before they were stacked is that step per channel on the stacked
 * image (channel_wise); spatial steps move every channel alike either way.
 */
export function perChannel(step: PreprocessingStep): PreprocessingStep {
  if (step.kind === 'NormalizeIntensityd') return { ...step, channelWise: true };
  if (step.kind === 'ScaleIntensityd' || step.kind === 'ScaleIntensityRangePercentilesd') return { ...step, channelWise: true };
  return step;
}
