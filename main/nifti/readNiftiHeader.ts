import * as nifti from 'nifti-reader-js';
import { AxialError } from '../errors/AxialError.js';
import { niftiDataType, unsupportedNiftiDataTypes, type NiftiDataType } from './niftiDataTypes.js';

export type NiftiHeader = nifti.NIFTI1 | nifti.NIFTI2;

/** A checked header: the parsed fields plus what the reader needs to size the data. */
export interface CheckedNiftiHeader {
  readonly header: NiftiHeader;
  readonly version: 1 | 2;
  readonly dataType: NiftiDataType;
  readonly dimensions: [number, number, number];
  /** Number of 3D volumes (the product of dims 4–7). */
  readonly volumeCount: number;
  readonly bytesPerVolume: number;
}

/** Bytes that always hold a whole NIfTI-1 or NIfTI-2 header. */
export const niftiHeaderBytes = 540;

/**
 * Parses and checks a NIfTI-1 or NIfTI-2 header (nifti-reader-js does the field decoding).
 * @throws AxialError NIFTI_BAD_MAGIC, NIFTI_TRUNCATED, NIFTI_BAD_HEADER or NIFTI_UNSUPPORTED_DATATYPE.
 */
export function readNiftiHeader(bytes: Uint8Array, file: string): CheckedNiftiHeader {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + Math.min(bytes.length, niftiHeaderBytes));
  if (bytes.length < 348) throw new AxialError('NIFTI_TRUNCATED', `file ends inside the header (${bytes.length} bytes)`, { file });
  if (!nifti.isNIFTI(buffer as ArrayBuffer)) {
    if (nifti.isNIFTI(buffer as ArrayBuffer, true)) {
      throw new AxialError('NIFTI_BAD_HEADER', 'this is the header of a .hdr/.img pair; open the single-file .nii form', { file });
    }
    throw new AxialError('NIFTI_BAD_MAGIC', 'not a NIfTI-1 or NIfTI-2 file (no n+1 / n+2 magic)', { file });
  }
  const version = nifti.isNIFTI2(buffer as ArrayBuffer) ? 2 : 1;
  if (version === 2 && bytes.length < niftiHeaderBytes) {
    throw new AxialError('NIFTI_TRUNCATED', `file ends inside the NIfTI-2 header (${bytes.length} bytes)`, { file });
  }
  let header: NiftiHeader;
  try {
    header = nifti.readHeader(buffer as ArrayBuffer);
  } catch (error) {
    throw new AxialError('NIFTI_BAD_HEADER', `unreadable header: ${String(error)}`, { file, cause: error });
  }
  return checkHeader(header, version, file);
}

function checkHeader(header: NiftiHeader, version: 1 | 2, file: string): CheckedNiftiHeader {
  const dims = header.dims;
  const rank = dims[0] ?? 0;
  if (!Number.isInteger(rank) || rank < 1 || rank > 7) {
    throw new AxialError('NIFTI_BAD_HEADER', `dim[0] must be 1 to 7, got ${rank}`, { file });
  }
  const size = (axis: number): number => (axis <= rank ? (dims[axis] ?? 0) : 1);
  for (let axis = 1; axis <= rank; axis++) {
    const n = size(axis);
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new AxialError('NIFTI_BAD_HEADER', `dim[${axis}] must be a positive integer, got ${n}`, { file });
    }
  }
  const dataType = niftiDataType(header.datatypeCode);
  if (!dataType) {
    const name = unsupportedNiftiDataTypes[header.datatypeCode] ?? `code ${header.datatypeCode}`;
    throw new AxialError('NIFTI_UNSUPPORTED_DATATYPE', `datatype ${name} is not a scalar image type Axial reads`, { file });
  }
  if (header.numBitsPerVoxel !== dataType.bytes * 8) {
    throw new AxialError('NIFTI_BAD_HEADER', `bitpix ${header.numBitsPerVoxel} does not match datatype ${dataType.name}`, { file });
  }
  const minimumOffset = version === 1 ? 348 : 540;
  if (!Number.isSafeInteger(header.vox_offset) || header.vox_offset < minimumOffset) {
    throw new AxialError('NIFTI_BAD_HEADER', `vox_offset ${header.vox_offset} is before the end of the header`, { file });
  }
  const dimensions: [number, number, number] = [size(1), size(2), size(3)];
  const volumeCount = size(4) * size(5) * size(6) * size(7);
  return {
    header,
    version,
    dataType,
    dimensions,
    volumeCount,
    bytesPerVolume: dimensions[0] * dimensions[1] * dimensions[2] * dataType.bytes,
  };
}
