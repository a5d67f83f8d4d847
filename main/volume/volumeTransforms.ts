import type { Volume } from './Volume.js';
import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import { ioOrientation } from '../../core/geometry/ioOrientation.js';

type Geometry = Pick<Volume, 'spacing' | 'origin' | 'direction'>;
export type Mat4 = [number[], number[], number[], number[]];

/** The 4×4 voxel-to-world affine in NIfTI's RAS convention (LPS with x and y negated). */
export function volumeToRasAffine(volume: Geometry): Mat4 {
  const axes = scaledAxes(volume);
  const flip = [-1, -1, 1] as const;
  const rows = [0, 1, 2].map((r) => [flip[r]! * axes[r]![0]!, flip[r]! * axes[r]![1]!, flip[r]! * axes[r]![2]!, flip[r]! * volume.origin[r]!]);
  return [rows[0]!, rows[1]!, rows[2]!, [0, 0, 0, 1]];
}

/**
 * Splits a RAS voxel-to-world affine into LPS spacing, origin and direction.
 * Spacing is each column's length, so a sheared affine keeps its shear.
 */
export function rasAffineToGeometry(affine: readonly (readonly number[])[]): Geometry {
  const column = (c: number): Vec3 => [-affine[0]![c]!, -affine[1]![c]!, affine[2]![c]!];
  const spacing: number[] = [];
  const direction: Vec3[] = [];
  for (let c = 0; c < 3; c++) {
    const v = column(c);
    const length = Math.hypot(v[0], v[1], v[2]);
    spacing.push(length);
    direction.push(length > 0 ? [v[0] / length, v[1] / length, v[2] / length] : v);
  }
  return {
    spacing: spacing as unknown as Vec3,
    origin: column(3),
    direction: direction as unknown as Mat3,
  };
}

/**
 * The axis codes nibabel's `aff2axcodes` gives (its io_orientation, ioOrientation): for each index axis, the
 * patient direction it points towards (e.g. 'LPS' for a plain axial DICOM).
 */
export function orientationCode(volume: Pick<Volume, 'direction'>): string {
  const letters = ['LR', 'PA', 'SI'] as const;
  return ioOrientation(volume.direction)
    .map(({ worldAxis, sign }) => letters[worldAxis][sign > 0 ? 0 : 1])
    .join('');
}

/** Columns scaled by spacing, as a row-major 3×3 matrix (world = M · index). */
function scaledAxes(volume: Geometry): number[][] {
  const { spacing: s, direction: d } = volume;
  return [0, 1, 2].map((r) => [d[0][r]! * s[0], d[1][r]! * s[1], d[2][r]! * s[2]]);
}
