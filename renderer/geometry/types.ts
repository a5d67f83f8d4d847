/** An index axis (i, j, k) or a world axis (x, y, z), by position. */
export type Axis = 0 | 1 | 2;
export type Vec3 = readonly [number, number, number];
/** direction[a] is the LPS unit vector of index axis a. */
export type Mat3 = readonly [Vec3, Vec3, Vec3];

/** The three planes the viewer shows. */
export type ViewName = 'axial' | 'coronal' | 'sagittal';
export const viewNames: readonly ViewName[] = ['axial', 'coronal', 'sagittal'];

/** A volume's grid in DICOM's LPS world (mm): the part of a VolumeHeader geometry needs. */
export interface VolumeGeometry {
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  /** LPS position of the centre of voxel (0, 0, 0). */
  readonly origin: Vec3;
  readonly direction: Mat3;
}

/** Any typed array voxels or labels can arrive in (i fastest, then j, then k). */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;
