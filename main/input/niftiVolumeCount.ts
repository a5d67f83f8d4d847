import { constants, gunzipSync } from 'node:zlib';
import { readFileRegion } from '../io/readFileRegion.js';
import { niftiHeaderBytes, readNiftiHeader } from '../nifti/readNiftiHeader.js';

/** Compressed bytes read for a .nii.gz's header: its 540 bytes inflate from far fewer. */
const compressedHeadBytes = 16 * 1024;

/**
 * How many 3D volumes a NIfTI file holds (its time points), from its header alone; 1 when the
 * header cannot be read here (loading the file then says why).
 */
export async function niftiVolumeCount(path: string, fileSize: number): Promise<number> {
  try {
    const head = await readFileRegion(path, 0, Math.min(fileSize, compressedHeadBytes));
    const gzipped = head[0] === 0x1f && head[1] === 0x8b;
    // A sync flush inflates what the first bytes hold instead of failing on the stream cut short.
    const bytes = gzipped ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }) : head;
    if (bytes.length < 348) return 1;
    return readNiftiHeader(bytes.subarray(0, Math.min(bytes.length, niftiHeaderBytes)), path).volumeCount;
  } catch {
    return 1;
  }
}
