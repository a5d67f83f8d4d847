import { AxialError } from '../errors/AxialError.js';
import { writeNifti } from '../nifti/writeNifti.js';
import type { ResultLayer } from '../segmentation/process/inferenceMessages.js';
import { createVolume } from '../volume/Volume.js';
import { segmentStatistics, type LayerSummary } from './writeSegmentCase.js';

export type LayersOutput = 'files' | '4d' | 'none';

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

/** `Whole tumor` → `whole-tumor`: a file-name part of letters, digits and dashes. */
function slug(name: string, index: number): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || `channel-${index}`;
}

/** The output path without .nii or .nii.gz. */
const stemOf = (output: string): string => output.replace(/\.nii(\.gz)?$/i, '');

/**
 * Writes a multi-label result's layers beside the label map (atomically, never over an input), as NIfTI label
 * maps on the same grid with the source's affine: one file per layer, or one 4D file.
 * @throws AxialError OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED, VOLUME_INVALID.
 */
export async function writeResultLayers(layers: readonly ResultLayer[], output: string, how: LayersOutput, inputs: readonly string[]): Promise<LayerSummary[]> {
  if (how === 'none' || layers.length === 0) return [];
  const volumes = layers.map((l) => createVolume(l.labels));
  const extension = /\.gz$/i.test(output) ? '.nii.gz' : '.nii';
  const used = new Set<string>();
  if (how === '4d') {
    const path = `${stemOf(output)}-layers${extension}`;
    await writeNifti(volumes[0]!, path, { inputs, intent: 'label', laterTimePoints: volumes.slice(1).map((v) => v.voxels) });
    return layers.map((l, t) => ({ name: l.name, output: path, volume: t, statistics: segmentStatistics(volumes[t]!, l.segments)[0]! }));
  }
  const written: LayerSummary[] = [];
  for (const [t, layer] of layers.entries()) {
    let part = slug(layer.name, t);
    // Two channels of one name (or names that slug alike) still get a file each.
    if (used.has(part)) part = `${part}-${t}`;
    used.add(part);
    const path = `${stemOf(output)}-${part}${extension}`;
    await writeNifti(volumes[t]!, path, { inputs, intent: 'label' });
    written.push({ name: layer.name, output: path, statistics: segmentStatistics(volumes[t]!, layer.segments)[0]! });
  }
  return written;
}
