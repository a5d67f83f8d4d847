import { constants, gunzipSync } from 'node:zlib';
import { readFileRegion } from '../io/readFileRegion.js';
import { niftiHeaderBytes, readNiftiHeader, type NiftiHeader } from '../nifti/readNiftiHeader.js';

/**
 * Compressed bytes read for a .nii.gz's header: its 540 bytes inflate from far fewer, and 2 KiB cannot
 * inflate past 2 MiB (deflate expands at most 1032-fold), so a hostile stream cannot balloon here.
 */
const compressedHeadBytes = 2 * 1024;

/** Deflate's largest expansion (zlib's FAQ): a .nii.gz cannot hold more data than this × its size. */
const maxInflation = 1032;

/** A NIfTI file's time axis, read from its header alone. */
export interface NiftiTimeAxis {
  /** 3D volumes the file holds (1 when the header cannot be read here). */
  readonly timePoints: number;
  /** Seconds between volumes: pixdim[4] in xyzt_units' time unit; absent when zero, not finite, or in no known time unit. */
  readonly repetitionTime?: number;
}

/**
 * How many 3D volumes a NIfTI file holds (its time points), from its header, but never more than its
 * bytes can hold (a truncated or hostile header cannot put a billion steps on the time slider), and the
 * seconds between them; `{ timePoints: 1 }` when the header cannot be read here (loading the file then says why).
 */
export async function readNiftiTimeAxis(path: string, fileSize: number): Promise<NiftiTimeAxis> {
  try {
    const head = await readFileRegion(path, 0, Math.min(fileSize, compressedHeadBytes));
    const gzipped = head[0] === 0x1f && head[1] === 0x8b;
    // A sync flush inflates what the first bytes hold instead of failing on the stream cut short.
    const bytes = gzipped ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }) : head;
    if (bytes.length < 348) return { timePoints: 1 };
    const { header, volumeCount, bytesPerVolume } = readNiftiHeader(bytes.subarray(0, Math.min(bytes.length, niftiHeaderBytes)), path);
    const dataBytes = gzipped ? fileSize * maxInflation : fileSize - Number(header.vox_offset);
    const timePoints = Math.max(1, Math.min(volumeCount, Math.floor(dataBytes / Math.max(1, bytesPerVolume))));
    const repetitionTime = timePoints > 1 ? secondsPerVolume(header) : undefined;
    return repetitionTime === undefined ? { timePoints } : { timePoints, repetitionTime };
  } catch {
    return { timePoints: 1 };
  }
}

/** NIfTI-1's time units (xyzt_units & 0x38, as nibabel's unit_codes): seconds per unit. */
const secondsPerUnit: Readonly<Record<number, number>> = { 8: 1, 16: 1e-3, 24: 1e-6 };

/**
 * pixdim[4] in seconds, as nibabel's get_zooms with its time unit applied. A header whose time unit is
 * unknown (0) or not a time (Hz, ppm, rad/s) claims no seconds, whatever pixdim[4] holds.
 */
function secondsPerVolume(header: NiftiHeader): number | undefined {
  const perUnit = secondsPerUnit[header.xyzt_units & 0x38];
  const step = Number(header.pixDims[4]);
  if (perUnit === undefined || !Number.isFinite(step) || step <= 0) return undefined;
  // A float32 field: 0.1 s stored as 0.10000000149… would print as noise; 7 significant digits is what it holds.
  return Number((step * perUnit).toPrecision(7));
}
