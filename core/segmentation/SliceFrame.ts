/** How the slices across one axis sit in the volume's voxel numbering. */
export interface SliceFrame {
  /** Pixels along u (the lower other axis) and v (the higher). */
  readonly width: number;
  readonly height: number;
  /** Voxel-number steps along u, v and the slice axis. */
  readonly strides: readonly [number, number, number];
  /** mm between pixels along u and v. */
  readonly spacing: readonly [number, number];
}
