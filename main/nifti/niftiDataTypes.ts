import type { VoxelArray } from '../volume/Volume.js';

/** How one NIfTI datatype code is stored and read. */
export interface NiftiDataType {
  readonly code: number;
  readonly name: string;
  readonly bytes: number;
  /** Builds a typed array over little- or native-endian bytes; 64-bit integers are widened by the reader. */
  readonly view: (buffer: ArrayBuffer, offset: number, length: number) => VoxelArray;
  readonly integer: boolean;
}

const table: readonly NiftiDataType[] = [
  { code: 2, name: 'uint8', bytes: 1, integer: true, view: (b, o, n) => new Uint8Array(b, o, n) },
  { code: 4, name: 'int16', bytes: 2, integer: true, view: (b, o, n) => new Int16Array(b, o, n) },
  { code: 8, name: 'int32', bytes: 4, integer: true, view: (b, o, n) => new Int32Array(b, o, n) },
  { code: 16, name: 'float32', bytes: 4, integer: false, view: (b, o, n) => new Float32Array(b, o, n) },
  { code: 64, name: 'float64', bytes: 8, integer: false, view: (b, o, n) => new Float64Array(b, o, n) },
  { code: 256, name: 'int8', bytes: 1, integer: true, view: (b, o, n) => new Int8Array(b, o, n) },
  { code: 512, name: 'uint16', bytes: 2, integer: true, view: (b, o, n) => new Uint16Array(b, o, n) },
  { code: 768, name: 'uint32', bytes: 4, integer: true, view: (b, o, n) => new Uint32Array(b, o, n) },
  { code: 1024, name: 'int64', bytes: 8, integer: true, view: (b, o, n) => widen(new BigInt64Array(b, o, n)) },
  { code: 1280, name: 'uint64', bytes: 8, integer: true, view: (b, o, n) => widen(new BigUint64Array(b, o, n)) },
];

/** NIfTI datatype codes Axial cannot hold as a scalar volume, by name for the error message. */
export const unsupportedNiftiDataTypes: Readonly<Record<number, string>> = {
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

/** The datatype for a code, or undefined when Axial does not read it. */
export function niftiDataType(code: number): NiftiDataType | undefined {
  return table.find((t) => t.code === code);
}

/** The NIfTI datatype code for a voxel array. */
export function niftiCodeOf(voxels: VoxelArray): number {
  const name = voxels.constructor.name.replace('Array', '').toLowerCase();
  return table.find((t) => t.name === name)!.code;
}

function widen(values: BigInt64Array | BigUint64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]!);
  return out;
}
