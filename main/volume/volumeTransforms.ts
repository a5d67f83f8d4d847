import type { Mat3, Vec3, Volume } from './Volume.js';

type Geometry = Pick<Volume, 'spacing' | 'origin' | 'direction'>;
export type Mat4 = [number[], number[], number[], number[]];

/** LPS world position (mm) of a continuous voxel index (voxel centres at integers). */
export function indexToWorld(volume: Geometry, index: Vec3): Vec3 {
  const { spacing: s, origin: o, direction: d } = volume;
  const p: [number, number, number] = [o[0], o[1], o[2]];
  const d3: readonly Vec3[] = d;
  for (let a = 0; a < 3; a++) {
    const step = index[a]! * s[a]!;
    const axis = d3[a]!;
    p[0] += axis[0] * step;
    p[1] += axis[1] * step;
    p[2] += axis[2] * step;
  }
  return p;
}

/** Continuous voxel index of an LPS world position; the inverse of {@link indexToWorld}. */
export function worldToIndex(volume: Geometry, world: Vec3): Vec3 {
  const inverse = invert3(scaledAxes(volume));
  const rel: Vec3 = [world[0] - volume.origin[0], world[1] - volume.origin[1], world[2] - volume.origin[2]];
  return multiply3(inverse, rel);
}

/** The 4×4 voxel-to-world affine in NIfTI's RAS convention (LPS with x and y negated). */
export function volumeToRasAffine(volume: Geometry): Mat4 {
  const axes = scaledAxes(volume);
  const flip = [-1, -1, 1] as const;
  const rows = [0, 1, 2].map((r) => [
    flip[r]! * axes[r]![0]!,
    flip[r]! * axes[r]![1]!,
    flip[r]! * axes[r]![2]!,
    flip[r]! * volume.origin[r]!,
  ]);
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
 * The axis codes nibabel's `aff2axcodes` gives: for each index axis, the
 * patient direction it points towards most (e.g. 'LPS' for a plain axial DICOM).
 */
export function orientationCode(volume: Pick<Volume, 'direction'>): string {
  const letters = [
    ['L', 'R'],
    ['P', 'A'],
    ['S', 'I'],
  ] as const;
  const used = new Set<number>();
  let code = '';
  const order = [0, 1, 2].sort((a, b) => maxAbs(volume.direction[b]!) - maxAbs(volume.direction[a]!));
  const chosen: string[] = [];
  for (const a of order) {
    const axis = volume.direction[a]!;
    let best = -1;
    for (let w = 0; w < 3; w++) {
      if (!used.has(w) && (best < 0 || Math.abs(axis[w]!) > Math.abs(axis[best]!))) best = w;
    }
    used.add(best);
    chosen[a] = letters[best]![axis[best]! >= 0 ? 0 : 1];
  }
  for (const c of chosen) code += c;
  return code;
}

function maxAbs(v: Vec3): number {
  return Math.max(Math.abs(v[0]), Math.abs(v[1]), Math.abs(v[2]));
}

/** Columns scaled by spacing, as a row-major 3×3 matrix (world = M · index). */
function scaledAxes(volume: Geometry): number[][] {
  const { spacing: s, direction: d } = volume;
  return [0, 1, 2].map((r) => [d[0][r]! * s[0], d[1][r]! * s[1], d[2][r]! * s[2]]);
}

function multiply3(m: number[][], v: Vec3): Vec3 {
  return [0, 1, 2].map((r) => m[r]![0]! * v[0] + m[r]![1]! * v[1] + m[r]![2]! * v[2]) as unknown as Vec3;
}

/** Inverse of a row-major 3×3 matrix. */
export function invert3(m: number[][]): number[][] {
  const [a, b, c] = m as [number[], number[], number[]];
  const [a0, a1, a2] = a as [number, number, number];
  const [b0, b1, b2] = b as [number, number, number];
  const [c0, c1, c2] = c as [number, number, number];
  const det = a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0);
  const k = 1 / det;
  return [
    [(b1 * c2 - b2 * c1) * k, (a2 * c1 - a1 * c2) * k, (a1 * b2 - a2 * b1) * k],
    [(b2 * c0 - b0 * c2) * k, (a0 * c2 - a2 * c0) * k, (a2 * b0 - a0 * b2) * k],
    [(b0 * c1 - b1 * c0) * k, (a1 * c0 - a0 * c1) * k, (a0 * b1 - a1 * b0) * k],
  ];
}
