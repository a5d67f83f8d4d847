import { AxialError } from '../errors/AxialError.js';
import type { ModelSpec } from '../segmentation/ModelSpec.js';

/** The `--input` option's lines in `axial segment --help`. */
export const channelInputUsage = `--input    NAME=PATH, once per input channel of a multi-sequence model, named as
           the model's channel_def names them (bundle inspect lists them; case
           does not matter) or by channel number (0, 1, ...); the labels are on
           the first channel's grid, the others are resampled onto it`;

/** One input channel as the command line gives it. */
export interface ChannelInputArg {
  readonly name: string;
  readonly path: string;
}

/**
 * Matches `--input NAME=PATH` arguments to the model's input channels and orders them as the model does:
 * the first is the image whose grid the labels are on.
 * @throws AxialError CLI_USAGE for a malformed argument, a name the model lacks, a channel given twice or left out,
 *   or `--input` for a model of one image.
 */
export function parseChannelInputs(values: readonly string[], spec: Pick<ModelSpec, 'name' | 'input'>): ChannelInputArg[] {
  const names = spec.input.channelNames ?? Array.from({ length: spec.input.channels }, (_, c) => String(c));
  const listed = names.map((n, c) => (n === String(c) ? n : `${n} (or ${c})`)).join(', ');
  if (spec.input.channels < 2) throw new AxialError('CLI_USAGE', `${spec.name} takes one image: give it as <input>, without --input`);
  const chosen = new Map<number, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new AxialError('CLI_USAGE', `--input must be NAME=PATH, got "${value}"`);
    const key = value.slice(0, at).trim().toLowerCase();
    const channel = /^\d+$/.test(key) ? Number(key) : names.findIndex((n) => n.toLowerCase() === key);
    if (channel < 0 || channel >= names.length) {
      throw new AxialError('CLI_USAGE', `${spec.name} has no input channel "${value.slice(0, at)}"; its channels are ${listed}`);
    }
    if (chosen.has(channel)) throw new AxialError('CLI_USAGE', `--input gives channel ${names[channel]} twice`);
    chosen.set(channel, value.slice(at + 1));
  }
  const missing = names.filter((_, c) => !chosen.has(c));
  if (missing.length > 0) {
    throw new AxialError('CLI_USAGE', `${spec.name} takes ${names.length} input images (${listed}); --input is missing for ${missing.join(', ')}`);
  }
  return names.map((name, c) => ({ name, path: chosen.get(c)! }));
}
