import { basename } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { readNifti } from '../nifti/readNifti.js';
import { readNrrd } from '../nrrd/readNrrd.js';
import { orientationCode } from '../volume/volumeTransforms.js';
import { toLabelArray } from './toLabelArray.js';
import { resampleLabels, type Grid } from './resampleLabels.js';
import { type LabelArray } from '../../core/labels/LabelArray.js';

export interface OpenedLabelMap {
  readonly name: string;
  /** Labels on the target grid, i fastest. */
  readonly labels: LabelArray;
  readonly warnings: string[];
}

/**
 * Reads a NIfTI or NRRD label map and puts it on the volume's grid: as it is
 * when the grids match (within 1e-3 mm), else nearest-neighbour.
 * @throws AxialError INPUT_UNKNOWN_FORMAT for other files, the readers' own codes;
 *   AxialError MASK_NOT_LABELS, MASK_GRID_MISMATCH.
 */
export async function openLabelMap(path: string, target: Grid): Promise<OpenedLabelMap> {
  const name = basename(path);
  const read = await readLabelFile(path);
  const { volume } = read;
  const labels = toLabelArray(volume.voxels, name);
  const placed = resampleLabels({ grid: volume, labels }, target);
  const warnings = [...read.warnings];
  if (placed.relation === 'reordered') {
    warnings.push(`stored in ${orientationCode(volume)} order; reordered onto the volume's ${orientationCode(target)} grid (no resampling)`);
  } else if (placed.relation === 'resampled') {
    const grid = `${volume.dimensions.join('×')} at ${volume.spacing.map((s) => +s.toFixed(3)).join('×')} mm`;
    warnings.push(`resampled nearest-neighbour from its own grid (${grid}) onto the volume's`);
  }
  if (placed.coverage < 0.999) {
    warnings.push(`covers ${(placed.coverage * 100).toFixed(1)}% of the volume; the rest is unlabelled`);
  }
  return { name, labels: placed.labels, warnings };
}

async function readLabelFile(path: string): Promise<{ volume: Awaited<ReturnType<typeof readNifti>>['volume']; warnings: string[] }> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) return readNrrd(path);
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return readNifti(path);
  throw new AxialError('INPUT_UNKNOWN_FORMAT', 'a label map must be a NIfTI (.nii, .nii.gz) or NRRD (.nrrd, .nhdr) file', { file: path });
}
