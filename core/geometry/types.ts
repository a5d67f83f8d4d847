/** An index axis (i, j, k) or a world axis (x, y, z), by position. */
export type Axis = 0 | 1 | 2;
export type Vec3 = readonly [number, number, number];
/** Three index-axis vectors: `direction[a]` is the LPS unit vector along index axis a (i, j, k). */
export type Mat3 = readonly [Vec3, Vec3, Vec3];

/** A volume's grid in DICOM's LPS world (mm): what index↔world mapping needs. */
export interface VolumeGeometry {
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  /** LPS position of the centre of voxel (0, 0, 0). */
  readonly origin: Vec3;
  readonly direction: Mat3;
}
