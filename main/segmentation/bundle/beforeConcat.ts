import type { BundleObject } from './BundleValue.js';
import { bundleKeys } from './bundleKeys.js';
import type { ChannelConcat } from './findChannelConcat.js';

/**
 * A transform before the ConcatItemsd as the image's: one that applies to every channel key is that transform on
 * the image, its keys rewritten (the first channel key's per-key arguments are used, and must be the same for
 * every channel where they are strings, such as a mode); one that applies to some channel keys only cannot run
 * on the stacked image. Undefined when it touches no channel key.
 */
export function beforeConcat(value: BundleObject, concat: ChannelConcat, imageKey: string): { value: BundleObject } | { reason: string } | undefined {
  const keys = bundleKeys(value.keys);
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
