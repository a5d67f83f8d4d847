import { isBundleObject, type BundleObject, type BundleValue } from './BundleValue.js';
import { bundleKeys } from './bundleKeys.js';

/** MONAI's ConcatItemsd stacking one key per sequence into the image key: the keys are the input channels, in order. */
export interface ChannelConcat {
  /** Position of the ConcatItemsd among the preprocessing transforms. */
  readonly index: number;
  readonly keys: readonly string[];
}

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
  const keys = bundleKeys(value.keys);
  if (!keys || keys.length < 2 || new Set(keys).size !== keys.length || keys.includes(imageKey)) return undefined;
  if (value.dim !== undefined && value.dim !== 0) return undefined;
  if (Object.keys(value).some((k) => !['_target_', 'keys', 'name', 'dim', 'allow_missing_keys', '_disabled_'].includes(k))) return undefined;
  return { index, keys };
}
