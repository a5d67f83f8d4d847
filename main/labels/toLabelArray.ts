import { AxialError } from '../errors/AxialError.js';
import type { VoxelArray } from '../volume/Volume.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/**
 * A label map's voxels as uint8 (or uint16 past 255): the array itself when
 * it already is one, else a converted copy.
 * @param source The file the voxels were read from (named in the error), or what they are.
 * @throws AxialError MASK_NOT_LABELS when a value is negative, above 65535 or not a whole number.
 */
export function toLabelArray(voxels: VoxelArray, source: { readonly file: string } | { readonly name: string }): LabelArray {
  // Every uint8 value is a label: no pass over it (a 4D file's layers come here twice, once as read, once placed).
  if (voxels instanceof Uint8Array) return voxels;
  let max = 0;
  for (let n = 0; n < voxels.length; n++) {
    const v = voxels[n]!;
    if (!(v >= 0 && v <= 65535) || Math.abs(v - Math.round(v)) > 1e-3) {
      const problem = `voxel ${n} holds ${v} (labels are whole numbers 0–65535)`;
      if ('file' in source) throw new AxialError('MASK_NOT_LABELS', `not a label map: ${problem}`, { file: source.file });
      throw new AxialError('MASK_NOT_LABELS', `${source.name} is not a label map: ${problem}`);
    }
    if (v > max) max = v;
  }
  if (voxels instanceof Uint16Array && max > 255) return voxels;
  const out = max > 255 ? new Uint16Array(voxels.length) : new Uint8Array(voxels.length);
  for (let n = 0; n < voxels.length; n++) out[n] = Math.round(voxels[n]!);
  return out;
}
