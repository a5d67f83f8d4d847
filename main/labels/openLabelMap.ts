import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { readNiftiTimeAxis } from '../input/readNiftiTimeAxis.js';
import { readNifti } from '../nifti/readNifti.js';
import { readNrrd } from '../nrrd/readNrrd.js';
import { readNrrdSegments } from '../nrrd/readNrrdSegments.js';
import type { Volume } from '../volume/Volume.js';
import { orientationCode } from '../volume/volumeTransforms.js';
import { toLabelArray } from './toLabelArray.js';
import { resampleLabels, type Grid } from './resampleLabels.js';
import { type LabelArray } from '../../core/labels/LabelArray.js';
import { labelLayerLimits } from '../../core/labels/labelLayerLimits.js';

/** The most label layers a segmentation holds (the contract's edits address layers 0–63). */
const maxLayers = labelLayerLimits.layers;

export interface OpenedLabelMap {
  readonly name: string;
  /** Labels on the target grid, i fastest: the first layer. */
  readonly labels: LabelArray;
  /** Every layer on the target grid (`labels` first): several for a 4D NIfTI or a 3D Slicer segmentation of overlapping segments. */
  readonly layers: readonly LabelArray[];
  readonly warnings: string[];
}

/**
 * Reads a NIfTI or NRRD label map and puts it on the volume's grid: as it is
 * when the grids match (within 1e-3 mm), else nearest-neighbour. A 3D Slicer
 * `.seg.nrrd` whose segments lie on several layers (a 4-D file, layers first)
 * gives one label layer each, and so does each volume of a 4D NIfTI (as
 * `axial segment --layers 4d` writes); 64 layers at most.
 * @throws AxialError INPUT_UNKNOWN_FORMAT for other files, the readers' own codes (NIFTI_TRUNCATED for a 4D
 *   NIfTI whose header claims more volumes than the file holds); MASK_NOT_LABELS, MASK_GRID_MISMATCH.
 */
export async function openLabelMap(path: string, target: Grid): Promise<OpenedLabelMap> {
  const name = basename(path);
  const read = await readLabelFile(path);
  const { volume } = read;
  const samples = read.samples ?? [volume.voxels];
  const placed = samples.map((voxels) => resampleLabels({ grid: volume, labels: toLabelArray(voxels, { file: path }), file: path }, target));
  const first = placed[0]!;
  const warnings = [...read.warnings];
  // A cropped Slicer segmentation lies on the volume's own axes, shifted by whole voxels: nothing to tell.
  if (first.relation === 'reordered' && orientationCode(volume) !== orientationCode(target)) {
    warnings.push(`stored in ${orientationCode(volume)} order; reordered onto the volume's ${orientationCode(target)} grid (no resampling)`);
  } else if (first.relation === 'resampled') {
    const grid = `${volume.dimensions.join('×')} at ${volume.spacing.map((s) => +s.toFixed(3)).join('×')} mm`;
    warnings.push(`resampled nearest-neighbour from its own grid (${grid}) onto the volume's`);
  }
  if (first.coverage < 0.999) {
    warnings.push(`covers ${(first.coverage * 100).toFixed(1)}% of the volume; the rest is unlabelled`);
  }
  const layers = placed.map((p) => p.labels);
  return { name, labels: first.labels, layers, warnings };
}

interface LabelFile {
  readonly volume: Volume;
  readonly warnings: string[];
  readonly samples?: readonly Volume['voxels'][];
}

async function readLabelFile(path: string): Promise<LabelFile> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) {
    // Only a Slicer segmentation's 4-D axis is layers of labels (Slicer 4.10 and earlier wrote no layers: there
    // readNrrdSegments puts segment N on frame N); any other 4-D NRRD keeps its first sample, as before.
    const layered = (await readNrrdSegments(path)).some((s) => s.layer > 0);
    // Only the layers kept are copied out of the file (a header may claim thousands); readNrrd says when some are left.
    return readNrrd(path, layered ? { samples: maxLayers } : {});
  }
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return readNiftiLayers(path);
  throw new AxialError('INPUT_UNKNOWN_FORMAT', 'a label map must be a NIfTI (.nii, .nii.gz) or NRRD (.nrrd, .nhdr) file', { file: path });
}

/** What a 4D NIfTI's label layers may take, at 2 bytes a voxel (uint16 labels): 4 GiB. */
const maxLayerBytes = labelLayerLimits.bytes;

/** Every volume of a 4D NIfTI (the first 64, within 4 GiB) as a layer of labels; a 3D file as its one layer. */
async function readNiftiLayers(path: string): Promise<LabelFile> {
  const first = await readNifti(path);
  const claimed = first.volumeCount;
  if (claimed === 1) return first;
  // The header's claim is checked against the file's bytes before any later volume is allocated.
  const held = (await readNiftiTimeAxis(path, (await stat(path)).size)).timePoints;
  if (held < claimed) throw new AxialError('NIFTI_TRUNCATED', `header claims ${claimed} volumes; the file holds ${held}`, { file: path });
  // Each volume is made labels as it is read, so a float32 file holds its layers at 1 or 2 bytes a voxel, and a 4D
  // image picked by mistake (a DWI, a perfusion series) is refused on its first volume, before 63 more are read.
  const samples = [toLabelArray(first.volume.voxels, { file: path })];
  const count = Math.min(claimed, maxLayers, Math.max(1, Math.floor(maxLayerBytes / (2 * first.volume.voxels.length))));
  // The rest in passes of up to 1 GiB of stored voxels (4 bytes a voxel at most, but for float64): a .nii.gz is
  // inflated once per pass, not once per volume from its start (24 volumes of 256×256×200 took 4.5 s, one 0.22 s).
  const perPass = Math.max(1, Math.floor(2 ** 30 / (4 * first.volume.voxels.length)));
  for (let volumeIndex = 1; volumeIndex < count; volumeIndex += perPass) {
    const read = await readNifti(path, { volumeIndex, volumes: Math.min(perPass, count - volumeIndex) });
    for (const voxels of [read.volume.voxels, ...read.following]) samples.push(toLabelArray(voxels, { file: path }));
  }
  // readNifti's own "read volume 0" is not so here: every volume was read.
  const warnings = first.warnings.filter((w) => !w.startsWith('4D file with '));
  if (count < claimed) warnings.push(`${basename(path)} has ${claimed} volumes; the first ${count} were read as label layers`);
  return { volume: first.volume, warnings, samples };
}
