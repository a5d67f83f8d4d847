import { constants, gunzipSync } from 'node:zlib';
import { readFileRegion } from '../io/readFileRegion.js';
import { niftiHeaderBytes, readNiftiHeader } from '../nifti/readNiftiHeader.js';

/**
 * Compressed bytes read for a .nii.gz's header: its 540 bytes inflate from far fewer, and 2 KiB cannot
 * inflate past 2 MiB (deflate expands at most 1032-fold), so a hostile stream cannot balloon here.
 */
const compressedHeadBytes = 2 * 1024;

/** Deflate's largest expansion (zlib's FAQ): a .nii.gz cannot hold more data than this × its size. */
const maxInflation = 1032;

/**
 * How many 3D volumes a NIfTI file holds (its time points), from its header, but never more than its
 * bytes can hold (a truncated or hostile header cannot put a billion steps on the time slider); 1 when
 * the header cannot be read here (loading the file then says why).
 */
export async function niftiVolumeCount(path: string, fileSize: number): Promise<number> {
  try {
    const head = await readFileRegion(path, 0, Math.min(fileSize, compressedHeadBytes));
    const gzipped = head[0] === 0x1f && head[1] === 0x8b;
    // A sync flush inflates what the first bytes hold instead of failing on the stream cut short.
    const bytes = gzipped ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }) : head;
    if (bytes.length < 348) return 1;
    const { header, volumeCount, bytesPerVolume } = readNiftiHeader(bytes.subarray(0, Math.min(bytes.length, niftiHeaderBytes)), path);
    const dataBytes = gzipped ? fileSize * maxInflation : fileSize - Number(header.vox_offset);
    return Math.max(1, Math.min(volumeCount, Math.floor(dataBytes / Math.max(1, bytesPerVolume))));
  } catch {
    return 1;
  }
}
