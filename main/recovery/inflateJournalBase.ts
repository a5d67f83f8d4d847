import { constants } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { AxialError } from '../errors/AxialError.js';
import type { BaseHeader } from './journalFormat.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

const gunzipAsync = promisify(gunzip);

/**
 * The label layers of a journal's base record, inflated with an output cap of
 * exactly what its layers need on this volume (voxelCount × bytes per layer),
 * so a damaged or hostile base cannot inflate past it.
 * @throws AxialError RECOVERY_DAMAGED when the base would inflate to more or fewer bytes, or does not inflate.
 */
export async function inflateJournalBase(payload: Uint8Array, layers: BaseHeader['layers'], voxelCount: number, file: string): Promise<LabelArray[]> {
  const widths = layers.map((type) => (type === 'uint16' ? 2 : 1));
  const expected = widths.reduce((sum, width) => sum + voxelCount * width, 0);
  const claim = `its ${layers.length} label layer${layers.length === 1 ? '' : 's'} of ${voxelCount} voxels need ${expected} bytes`;
  if (expected > constants.MAX_LENGTH) throw new AxialError('RECOVERY_DAMAGED', `the recovery file's base is too large: ${claim}`, { file });
  let raw: Buffer;
  try {
    raw = await gunzipAsync(payload, { maxOutputLength: expected });
  } catch (error) {
    const past = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    const what = past ? `inflates past ${expected} bytes (stopped there)` : `does not inflate (${(error as Error).message})`;
    throw new AxialError('RECOVERY_DAMAGED', `the recovery file's base ${what}: ${claim}`, { file, cause: error });
  }
  if (raw.byteLength !== expected) {
    throw new AxialError('RECOVERY_DAMAGED', `the recovery file's base inflates to ${raw.byteLength} bytes: ${claim}`, { file });
  }
  let offset = 0;
  return widths.map((width) => {
    // Each layer its own buffer: layers are edited and served one by one, and a Uint16Array needs an aligned start.
    const copy = new Uint8Array(raw.subarray(offset, offset + voxelCount * width));
    offset += voxelCount * width;
    return width === 2 ? new Uint16Array(copy.buffer) : copy;
  });
}
