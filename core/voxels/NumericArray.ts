/** Any typed array voxels or labels can arrive in (i fastest, then j, then k). */
export type NumericArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
