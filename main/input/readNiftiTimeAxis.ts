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
  /**
   * Seconds between volumes: pixdim[4] in xyzt_units' time unit; absent when zero, not finite, in no known time unit, or
   * when the volumes are not along time (dim[5..7] past 1, or an intent whose volumes are a vector's components).
   */
  readonly repetitionTime?: number;
  /** Each volume's seconds from the first (t × repetitionTime), where the step is known and the volumes few enough to list. */
  readonly timeOffsets?: readonly number[];
}

/**
 * The most volumes whose offsets are listed: every volume header carries them, and a header may claim millions of
 * tiny volumes (a long fMRI run has a few thousand).
 */
const maxListedOffsets = 16_384;

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
    const repetitionTime = timePoints > 1 && volumesAlongTime(header) ? secondsPerVolume(header) : undefined;
    if (repetitionTime === undefined) return { timePoints };
    if (timePoints > maxListedOffsets) return { timePoints, repetitionTime };
    return { timePoints, repetitionTime, timeOffsets: stepOffsets(timePoints, repetitionTime) };
  } catch {
    return { timePoints: 1 };
  }
}

/**
 * Intents whose volumes are not moments in time: nifti1.h's matrix, displacement or other vector, points, triangles or
 * quaternion per voxel (1004–1010), node indices, RGB(A) vectors and shapes (2002–2005), and FSL's FNIRT and TOPUP
 * fields and coefficients (2006–2009, 2016–2018, as nibabel lists them).
 */
const componentIntents: ReadonlySet<number> = new Set([
  1004, 1005, 1006, 1007, 1008, 1009, 1010, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2016, 2017, 2018,
]);

/**
 * Whether the file's volumes are steps along time, so that pixdim[4] is a time step: dim[4] is NIfTI's time axis only
 * when no later axis is used (a 20×20×10×1×3 vector file holds three components, not three moments), and an intent
 * that makes the volumes a vector's components says they are not times either.
 */
function volumesAlongTime(header: NiftiHeader): boolean {
  const rank = Number(header.dims[0] ?? 0);
  const laterAxes = [5, 6, 7].filter((axis) => axis <= rank).map((axis) => Number(header.dims[axis] ?? 1));
  return laterAxes.every((size) => size <= 1) && !componentIntents.has(Number(header.intent_code));
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

/** `count` volumes `step` seconds apart, from 0 (3 × 0.8 is 2.4000000000000004 in doubles: 12 digits are plenty). */
function stepOffsets(count: number, step: number): number[] {
  return Array.from({ length: count }, (_, t) => Number((t * step).toPrecision(12)));
}
