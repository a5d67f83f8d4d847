import type { VolumeHeader } from '../../core/contract.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

export type VoxelDataType = VolumeHeader['dataType'];

const constructors = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** The voxel data didn't match its header: the wrong number of bytes. */
export class VoxelDataError extends Error {
  readonly code = 'VOXEL_DATA_SIZE';
}

/** Bytes per voxel of `dataType`. */
export function bytesPerVoxel(dataType: VoxelDataType): number {
  return constructors[dataType].BYTES_PER_ELEMENT;
}

/**
 * Views fetched bytes as the header's typed array (no copy).
 * @throws VoxelDataError when the byte count isn't `count` voxels of the type.
 */
export function toVoxelArray(buffer: ArrayBuffer, dataType: VoxelDataType, count: number): NumericArray {
  const Type = constructors[dataType];
  if (buffer.byteLength !== count * Type.BYTES_PER_ELEMENT) {
    throw new VoxelDataError(`expected ${count} ${dataType} voxels (${count * Type.BYTES_PER_ELEMENT} bytes), received ${buffer.byteLength} bytes`);
  }
  return new Type(buffer);
}
