import type { Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { add, dot, scale } from '../../core/geometry/vec3.js';
import type { ClipBox } from './clipRange.js';
import type { OrbitCamera } from './orbitCamera.js';

export interface RayGeometryParams {
  readonly geometry: VolumeGeometry;
  readonly camera: OrbitCamera;
  /** The canvas's size in its own pixels. */
  readonly width: number;
  readonly height: number;
  /** Ray step in mm. */
  readonly stepMm: number;
  /** The part of the volume drawn, in continuous index space. */
  readonly clip: ClipBox;
}

/**
 * Everything the ray caster needs, in continuous voxel-index space (voxel
 * centres at integers), so that anisotropic and oblique grids come out right
 * without resampling: the index→world map A = direction·spacing is folded
 * into the rays. Pixel (x, y) counts from the canvas's bottom-left (as
 * gl_FragCoord − 0.5); its ray starts at `origin + x·dx + y·dy` and its
 * n-th sample lies at `start + (n + 0.5)·step`.
 */
export interface RayGeometry {
  readonly origin: Vec3;
  readonly dx: Vec3;
  readonly dy: Vec3;
  /** One ray step, in index units. */
  readonly step: Vec3;
  readonly clipLo: Vec3;
  readonly clipHi: Vec3;
  /** Samples enough to cross the whole volume. */
  readonly maxSteps: number;
  /** Index-space gradient → world normal: A^−T, column-major (as WebGL's uniformMatrix3fv takes it). */
  readonly normalMatrix: Float32Array;
  /** World direction towards the viewer (a headlight). */
  readonly light: Vec3;
  readonly mmPerPixel: number;
  /**
   * [column, row] = screenFromIndex · [i, j, k, 1]: where a voxel centre
   * projects, in canvas pixels from the top-left corner (pixel centres at
   * integers).
   */
  readonly screenFromIndex: readonly [readonly number[], readonly number[]];
}

/**
 * The rays of an orthographic view of the volume, centred on the volume's
 * middle (plus the camera's pan); at zoom 1 the volume's longest side,
 * plus 5 %, spans the canvas's shorter side (the same at any rotation).
 * @throws RangeError when the grid's axes are degenerate or the canvas is empty.
 */
export function rayGeometry(params: RayGeometryParams): RayGeometry {
  const { geometry, camera, width, height, stepMm, clip } = params;
  if (width < 1 || height < 1) throw new RangeError('the canvas is empty');
  const a = scaledAxes(geometry);
  const inverse = invert(a);
  const dims = geometry.dimensions;
  const middle: Vec3 = [(dims[0] - 1) / 2, (dims[1] - 1) / 2, (dims[2] - 1) / 2];
  const radius = boundingRadius(a, dims);
  const longest = Math.max(dims[0] * geometry.spacing[0], dims[1] * geometry.spacing[1], dims[2] * geometry.spacing[2]);
  const mmPerPixel = (1.05 * longest) / Math.min(width, height) / camera.zoom;
  const { right, up, forward } = camera;
  // The view's centre, in mm from voxel (0, 0, 0)'s centre.
  const centre = add(apply(a, middle), add(scale(right, camera.pan[0]), scale(up, camera.pan[1])));
  const back = radius + stepMm;
  const corner = add(centre, add(add(scale(right, (0.5 - width / 2) * mmPerPixel), scale(up, (0.5 - height / 2) * mmPerPixel)), scale(forward, -back)));
  const toIndex = (v: Vec3): Vec3 => apply(inverse, v);
  const step = toIndex(scale(forward, stepMm));
  const columnOf = [0, 1, 2].map((n) => dot(column(a, n), right) / mmPerPixel);
  const rowOf = [0, 1, 2].map((n) => -dot(column(a, n), up) / mmPerPixel);
  return {
    origin: toIndex(corner),
    dx: toIndex(scale(right, mmPerPixel)),
    dy: toIndex(scale(up, mmPerPixel)),
    step,
    clipLo: clip.lo,
    clipHi: clip.hi,
    maxSteps: Math.ceil((2 * back) / stepMm) + 1,
    // Column-major A^−T holds the same numbers as row-major A^−1.
    normalMatrix: new Float32Array(inverse),
    light: scale(forward, -1),
    mmPerPixel,
    screenFromIndex: [
      [...columnOf, -dot(centre, right) / mmPerPixel + width / 2 - 0.5],
      [...rowOf, dot(centre, up) / mmPerPixel + height / 2 - 0.5],
    ],
  };
}

/**
 * Which samples of a ray (start + (n + 0.5)·step) lie inside the box
 * [lo, hi], by the slab method; null when none do. The shader does the same.
 */
export function samplesInBox(start: Vec3, step: Vec3, lo: Vec3, hi: Vec3): { first: number; last: number } | null {
  let near = 0;
  let far = Infinity;
  for (let axis = 0; axis < 3; axis++) {
    const inv = 1 / safeStep(step[axis]!);
    const t0 = (lo[axis]! - start[axis]!) * inv;
    const t1 = (hi[axis]! - start[axis]!) * inv;
    near = Math.max(near, Math.min(t0, t1));
    far = Math.min(far, Math.max(t0, t1));
  }
  const first = Math.ceil(near - 0.5);
  const last = Math.floor(far - 0.5);
  return first <= last ? { first, last } : null;
}

/** A step component the slab test can divide by: a ray parallel to a face gets a huge, finite reciprocal (as in the shader). */
export function safeStep(v: number): number {
  return Math.abs(v) < 1e-12 ? (v < 0 ? -1e-12 : 1e-12) : v;
}

/** Row-major 3×3. */
type M3 = readonly number[];

/** A = [direction[0]·spacing[0] | direction[1]·spacing[1] | direction[2]·spacing[2]] (columns), row-major. */
function scaledAxes(geometry: VolumeGeometry): M3 {
  const { direction: d, spacing: s } = geometry;
  return ([0, 1, 2] as const).flatMap((row) => [d[0][row] * s[0], d[1][row] * s[1], d[2][row] * s[2]]);
}

/** The largest distance from the volume's middle to a corner of its voxels' extent (mm). */
function boundingRadius(a: M3, dims: Vec3): number {
  let radius = 0;
  for (const sx of [-1, 1]) {
    for (const sy of [-1, 1]) {
      for (const sz of [-1, 1]) {
        const v = apply(a, [(sx * dims[0]) / 2, (sy * dims[1]) / 2, (sz * dims[2]) / 2]);
        radius = Math.max(radius, Math.hypot(v[0], v[1], v[2]));
      }
    }
  }
  return radius;
}

function invert(m: M3): M3 {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  // Volumes come checked (createVolume: unit axes not flat), so only a zero or overflowing determinant is refused: a fine grid's is tiny.
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('the grid axes are degenerate');
  return [
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det,
  ];
}

function apply(m: M3, v: Vec3): Vec3 {
  return [m[0]! * v[0] + m[1]! * v[1] + m[2]! * v[2], m[3]! * v[0] + m[4]! * v[1] + m[5]! * v[2], m[6]! * v[0] + m[7]! * v[1] + m[8]! * v[2]];
}

function column(m: M3, n: number): Vec3 {
  return [m[n]!, m[3 + n]!, m[6 + n]!];
}
