import { AxialError } from '../errors/AxialError.js';
import type { SegmentInfo } from '../../preload/contract.js';
import { countLabels } from '../segmentation/countLabels.js';
import { labelColour, type Segment } from '../segmentation/segmentColours.js';
import type { Volume, VoxelArray } from '../volume/Volume.js';
import { voxelMillilitres } from '../volume/voxelMillilitres.js';

import type { LabelArray } from './resampleLabels.js';

/**
 * A label map's voxels as uint8 (or uint16 past 255): the array itself when
 * it already is one, else a converted copy.
 * @throws AxialError MASK_NOT_LABELS when a value is negative, above 65535 or not a whole number.
 */
export function toLabelArray(voxels: VoxelArray, name: string): LabelArray {
  let max = 0;
  for (let n = 0; n < voxels.length; n++) {
    const v = voxels[n]!;
    if (!(v >= 0 && v <= 65535) || Math.abs(v - Math.round(v)) > 1e-3) {
      throw new AxialError('MASK_NOT_LABELS', `${name} is not a label map: voxel ${n} holds ${v} (labels are whole numbers 0–65535)`);
    }
    if (v > max) max = v;
  }
  if (voxels instanceof Uint8Array) return voxels;
  if (voxels instanceof Uint16Array && max > 255) return voxels;
  const out = max > 255 ? new Uint16Array(voxels.length) : new Uint8Array(voxels.length);
  for (let n = 0; n < voxels.length; n++) out[n] = Math.round(voxels[n]!);
  return out;
}

/**
 * The segment table of a label map: the model's segments when it named them
 * (every one, empty or not), plus any other value present as "Label N".
 * Colours are fixed per value (golden-angle hues), so label 5 looks the same
 * in every mask.
 */
export function describeSegments(
  labels: LabelArray,
  grid: Pick<Volume, 'spacing' | 'direction'>,
  named: readonly Segment[] = [],
): SegmentInfo[] {
  const counts = countLabels(labels);
  const millilitres = voxelMillilitres(grid);
  const byValue = new Map<number, Segment>(named.filter((s) => s.value !== 0).map((s) => [s.value, s]));
  const present: number[] = [];
  for (let value = 1; value < counts.length; value++) if (counts[value]! > 0 && !byValue.has(value)) present.push(value);
  for (const value of present) byValue.set(value, { value, name: `Label ${value}`, colour: labelColour(value) });
  return [...byValue.values()]
    .sort((a, b) => a.value - b.value)
    .map((s) => {
      const voxels = counts[s.value] ?? 0;
      return { value: s.value, name: s.name, colour: [...s.colour], voxels, volumeMl: voxels * millilitres };
    });
}
