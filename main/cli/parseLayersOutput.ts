import { AxialError } from '../errors/AxialError.js';

/** How a multi-label (sigmoid) model's overlapping layers are written: a NIfTI each, one 4D NIfTI, or not at all. */
export type LayersOutput = 'files' | '4d' | 'none';

/** The `--layers` option's lines in `axial segment --help`. */
export const layersUsage = `--layers   for a model of overlapping (sigmoid) outputs, each channel's mask:
           files (default): one NIfTI per channel beside the output,
           <output>-<channel>.nii.gz; 4d: one 4D NIfTI, <output>-layers.nii.gz
           (volume t is channel t); none: only the label map`;

/** @throws AxialError CLI_USAGE unless files, 4d or none. */
export function parseLayersOutput(value: string | undefined): LayersOutput {
  if (value === undefined) return 'files';
  if (value === 'files' || value === '4d' || value === 'none') return value;
  throw new AxialError('CLI_USAGE', `--layers must be files, 4d or none, got "${value}"`);
}
