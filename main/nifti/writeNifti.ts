import { AxialError } from '../errors/AxialError.js';
import { gzipChunks } from '../io/gzipChunks.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { NiftiTransforms, Volume, VoxelArray } from '../volume/Volume.js';
import { volumeToRasAffine, type Mat4 } from '../volume/volumeTransforms.js';
import { niftiCodeOf } from './niftiDataTypes.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { cross, dot, scale, subtract } from '../../core/geometry/vec3.js';

export interface WriteNiftiOptions {
  /** Files the output must never overwrite (the sources it was read from). */
  readonly inputs?: readonly string[];
  /** NIfTI intent: 'label' marks a label map (NIFTI_INTENT_LABEL). */
  readonly intent?: 'label';
  /**
   * A 4D series' time points after the first (which is `volume`'s voxels), each on the same grid and of
   * the same type: the file becomes dim[0] = 4, dim[4] = 1 + their count, as dcm2niix writes fMRI.
   */
  readonly laterTimePoints?: readonly VoxelArray[];
  /** Seconds between time points (RepetitionTime), pixdim[4] of a 4D file; 0 (unknown) when absent. */
  readonly repetitionTime?: number;
}

const NIFTI_XFORM_SCANNER_ANAT = 1;
const NIFTI_INTENT_LABEL = 1002;
const headerSize = 348;
const voxOffset = 352;

/**
 * Writes a NIfTI-1 single file, gzipped when the path ends in `.gz`. The
 * sform holds the exact affine; the qform and both codes are the NIfTI
 * source's own when the volume is on its grid (metadata.niftiTransforms), else
 * the affine's nearest rigid part (a sheared affine cannot be a qform) with
 * codes 1. Written atomically; never over an input.
 * @throws AxialError OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED.
 */
export async function writeNifti(volume: Volume, path: string, options: WriteNiftiOptions = {}): Promise<void> {
  if (!/\.nii(\.gz)?$/i.test(path)) {
    throw new AxialError('OUTPUT_UNSUPPORTED_FORMAT', 'NIfTI output must end in .nii or .nii.gz', { file: path });
  }
  const later = options.laterTimePoints ?? [];
  for (const voxels of later) {
    // One datatype and one grid for the whole file: a time point of another type or size cannot be stored in it.
    if (voxels.constructor !== volume.voxels.constructor || voxels.length !== volume.voxels.length) {
      throw new AxialError('VOLUME_INVALID', 'every time point of a 4D NIfTI must have the same size and voxel type as the first', { file: path });
    }
  }
  if (later.length >= 32767) throw new AxialError('VOLUME_TOO_LARGE', `${1 + later.length} time points: NIfTI-1 holds at most 32767`, { file: path });
  const time = later.length > 0 ? { count: 1 + later.length, repetitionTime: options.repetitionTime ?? 0 } : undefined;
  const header = buildNiftiHeader(volume, options.intent, time);
  const bytesOf = (voxels: VoxelArray): Uint8Array => new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength);
  const chunks = [header, bytesOf(volume.voxels), ...later.map(bytesOf)];
  // Level 1, as nibabel writes .nii.gz: a 512×512×500 label map took 0.19 s against level 6's 0.69 s, for a file
  // 3.5 MB instead of 2.5 MB (2-core Xeon).
  const body = /\.gz$/i.test(path) ? await gzipChunks(chunks, 1) : chunks;
  await writeFileAtomic(path, body, options.inputs);
}

/**
 * The 348-byte header plus the 4-byte empty extension flag; with `time`, a 4D header of `time.count`
 * volumes `time.repetitionTime` seconds apart.
 */
export function buildNiftiHeader(volume: Volume, intent?: 'label', time?: { count: number; repetitionTime: number }): Uint8Array {
  const bytes = new Uint8Array(voxOffset);
  const view = new DataView(bytes.buffer);
  const code = niftiCodeOf(volume.voxels);
  view.setInt32(0, headerSize, true);
  view.setInt16(40, 3, true);
  volume.dimensions.forEach((n, a) => view.setInt16(42 + 2 * a, n, true));
  for (let a = 4; a <= 7; a++) view.setInt16(40 + 2 * a, 1, true);
  if (time) {
    view.setInt16(40, 4, true);
    view.setInt16(48, time.count, true);
    view.setFloat32(92, time.repetitionTime, true);
  }
  if (intent === 'label') view.setInt16(68, NIFTI_INTENT_LABEL, true);
  view.setInt16(70, code, true);
  view.setInt16(72, volume.voxels.BYTES_PER_ELEMENT * 8, true);
  const affine = volumeToRasAffine(volume);
  const qform = sourceQform(volume, affine) ?? computedQform(volume, affine);
  view.setFloat32(76, qform.qfac, true);
  qform.pixdim.forEach((s, a) => view.setFloat32(80 + 4 * a, s, true));
  view.setFloat32(108, voxOffset, true);
  view.setFloat32(112, 1, true);
  view.setFloat32(116, 0, true);
  // xyzt_units: NIFTI_UNITS_MM (2) | NIFTI_UNITS_SEC (8), as dcm2niix writes (the time code sits in bits 3-5 unshifted).
  view.setUint8(123, 2 | 8);
  writeAscii(bytes, 148, 79, volume.metadata.seriesDescription ?? 'Axial');
  view.setInt16(252, qform.qform_code, true);
  view.setInt16(254, qform.sform_code, true);
  [qform.quatern_b, qform.quatern_c, qform.quatern_d].forEach((q, i) => view.setFloat32(256 + 4 * i, q, true));
  [qform.qoffset_x, qform.qoffset_y, qform.qoffset_z].forEach((v, r) => view.setFloat32(268 + 4 * r, v, true));
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, affine[r]![c]!, true);
  }
  writeAscii(bytes, 344, 4, 'n+1\0');
  return bytes;
}

/** The qform fields and codes a header gets (the affine's own always goes to the sform rows). */
type QformFields = Omit<NiftiTransforms, 'affine'>;

/**
 * A NIfTI source's qform and codes, as its header held them, when `volume` is on the source's grid (its affine is the
 * one the source was placed by, to 1 µm): a label map or conversion of a file then says what the file said, a sheared
 * sform's qform included (ITK's tools place a sheared file by its qform, and would place a recomputed one elsewhere).
 */
function sourceQform(volume: Volume, affine: Mat4): QformFields | undefined {
  const source = volume.metadata.niftiTransforms;
  if (!source || !affine.every((row, r) => row.every((v, c) => Math.abs(v - source.affine[r]![c]!) <= 1e-6))) return undefined;
  return source;
}

/** The qform of the affine's nearest rigid part (a sheared affine cannot be a qform), codes scanner-anatomical. */
function computedQform(volume: Volume, affine: Mat4): QformFields {
  const { b, c, d, qfac } = affineToQuaternion(affine);
  const [qoffset_x, qoffset_y, qoffset_z] = [affine[0]![3]!, affine[1]![3]!, affine[2]![3]!];
  const codes = { qform_code: NIFTI_XFORM_SCANNER_ANAT, sform_code: NIFTI_XFORM_SCANNER_ANAT };
  return { ...codes, quatern_b: b, quatern_c: c, quatern_d: d, qoffset_x, qoffset_y, qoffset_z, qfac: qfac < 0 ? -1 : 1, pixdim: volume.spacing };
}

/**
 * Writes at most `length` characters of `text` as ASCII: a Latin letter with accents loses them ("ä" → "a"), any
 * other character beyond ASCII becomes one "?" (never another letter, as masking its code to 7 bits made of it).
 */
function writeAscii(bytes: Uint8Array, offset: number, length: number, text: string): void {
  let i = 0;
  // Decomposed first, so an accent written as its own combining mark ("u\u0308") goes too.
  for (const character of text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')) {
    if (i >= length) break;
    bytes[offset + i++] = character.charCodeAt(0) < 0x80 ? character.charCodeAt(0) : 0x3f;
  }
}

/**
 * nibabel's `mat2quat` path for the qform: orthonormalise the direction
 * (polar decomposition by Gram-Schmidt is enough for a tilt of a few degrees),
 * flip the third axis when the determinant is negative (qfac = -1).
 */
function affineToQuaternion(affine: Mat4): { b: number; c: number; d: number; qfac: number } {
  const columns = [0, 1, 2].map((c): Vec3 => [affine[0]![c]!, affine[1]![c]!, affine[2]![c]!]);
  // Divided by the length, not scaled by its reciprocal as core's unit does: the last bit of a double differs
  // between the two, which can change the float32 quaternion in the header; the written header stays as it was.
  const normalised = (v: Vec3): Vec3 => {
    const length = Math.hypot(v[0], v[1], v[2]);
    return [v[0] / length, v[1] / length, v[2] / length];
  };
  const x = normalised(columns[0]!);
  const y = normalised(subtract(columns[1]!, scale(x, dot(columns[1]!, x))));
  const z = cross(x, y);
  const qfac = dot(z, columns[2]!) < 0 ? -1 : 1;
  const r = [
    [x[0]!, y[0]!, z[0]!],
    [x[1]!, y[1]!, z[1]!],
    [x[2]!, y[2]!, z[2]!],
  ];
  const trace = r[0]![0]! + r[1]![1]! + r[2]![2]!;
  let a: number, b: number, c: number, d: number;
  if (trace > 0) {
    const s = 0.5 / Math.sqrt(trace + 1);
    a = 0.25 / s;
    b = (r[2]![1]! - r[1]![2]!) * s;
    c = (r[0]![2]! - r[2]![0]!) * s;
    d = (r[1]![0]! - r[0]![1]!) * s;
  } else if (r[0]![0]! > r[1]![1]! && r[0]![0]! > r[2]![2]!) {
    const s = 2 * Math.sqrt(1 + r[0]![0]! - r[1]![1]! - r[2]![2]!);
    a = (r[2]![1]! - r[1]![2]!) / s;
    b = 0.25 * s;
    c = (r[0]![1]! + r[1]![0]!) / s;
    d = (r[0]![2]! + r[2]![0]!) / s;
  } else if (r[1]![1]! > r[2]![2]!) {
    const s = 2 * Math.sqrt(1 + r[1]![1]! - r[0]![0]! - r[2]![2]!);
    a = (r[0]![2]! - r[2]![0]!) / s;
    b = (r[0]![1]! + r[1]![0]!) / s;
    c = 0.25 * s;
    d = (r[1]![2]! + r[2]![1]!) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r[2]![2]! - r[0]![0]! - r[1]![1]!);
    a = (r[1]![0]! - r[0]![1]!) / s;
    b = (r[0]![2]! + r[2]![0]!) / s;
    c = (r[1]![2]! + r[2]![1]!) / s;
    d = 0.25 * s;
  }
  if (a < 0) [b, c, d] = [-b, -c, -d];
  return { b, c, d, qfac };
}
