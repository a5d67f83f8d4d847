import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { Vec3 } from '../../core/geometry/types.js';

/** How a slab's samples along the normal become one pixel: maximum, minimum or mean intensity projection. */
export type SlabMode = 'mip' | 'minip' | 'mean';

export interface ResliceOptions {
  /** 'linear': trilinear (images); 'nearest': the nearest voxel (labels). */
  readonly interpolation: 'linear' | 'nearest';
  /** Samples across the slab at normal-step intervals, an odd count centred on the plane (default 1: the plane alone); see {@link slabSampleOffsets}. */
  readonly samples?: number;
  readonly mode?: SlabMode;
  /** The value of a pixel none of whose samples lies in the volume. */
  readonly background: number;
}

export interface ResliceSource {
  /** i fastest, then j, then k. */
  readonly voxels: NumericArray;
  readonly dimensions: Vec3;
}

/**
 * The number of samples a slab of `thicknessMm` takes at `normalSpacing` mm apart: the odd count whose
 * coverage (count × spacing) is nearest the thickness, a tie going to the thicker, so that the slab is centred
 * on the plane (Horos and 3D Slicer centre theirs too); at least 1. So 5 mm of 2 mm slices is 3 (6 mm) and
 * 7 mm of 5 mm slices 1 (the plane alone): see slabLabel for how that is shown.
 */
export function slabSampleCount(thicknessMm: number, normalSpacing: number): number {
  // A tie goes to the thicker even when the spacing, worked out from direction cosines, is a rounding error off.
  return Math.max(1, 2 * Math.round((thicknessMm / normalSpacing - 1) / 2 + 1e-6) + 1);
}

/**
 * Offsets (in normal steps) of a slab's first and last sample: an odd count (slabSampleCount's) centred on the plane.
 * @throws RangeError when `samples` is not a positive odd whole number.
 */
export function slabSampleOffsets(samples: number): { first: number; last: number } {
  const half = (samples - 1) / 2;
  if (!Number.isInteger(half) || half < 0) throw new RangeError(`a slab takes an odd number of samples, not ${samples}`);
  return { first: -half, last: half };
}

const SET = 0;
const MAX = 1;
const MIN = 2;
const SUM = 3;

/**
 * Resamples a volume on a view plane into `out` (row-major, rows × columns):
 * pixel (row, column) samples voxel index origin + column·columnStep +
 * row·rowStep (+ s·normalStep for each slab offset s). A sample counts only
 * inside the volume, within [−0.5, n − 0.5) on every axis (the voxels' outer
 * faces, as a standard slice and the 3D clip box reach); a pixel with no
 * sample inside gets `background`. Trilinear replicates the edge voxels in
 * the outer half-voxel, as scipy's map_coordinates(order=1, mode='nearest'),
 * so a one-slice volume still shows on a turned plane.
 * A slab takes the max, min or mean of the samples inside. When the plane's
 * origin and steps are all whole voxels, both interpolations read voxels
 * directly (trilinear would weigh them 1 anyway). Allocates nothing: a slab
 * accumulates in `out`, which must then be a float array, and a mean slab
 * counts its samples in `counts`.
 * @throws RangeError when `out` or, for a mean slab, `counts` is too short, or `samples` is even.
 */
export function reslicePlane(source: ResliceSource, plane: ViewPlane, options: ResliceOptions, out: NumericArray, counts?: Uint16Array): void {
  const pixels = plane.rows * plane.columns;
  const samples = options.samples ?? 1;
  const { first, last } = slabSampleOffsets(samples);
  if (out.length < pixels) throw new RangeError(`output holds ${out.length} pixels, needs ${pixels}`);
  const mode = samples === 1 ? SET : options.mode === 'mip' ? MAX : options.mode === 'minip' ? MIN : SUM;
  if (mode === SUM && (!counts || counts.length < pixels)) throw new RangeError(`a mean slab needs counts for ${pixels} pixels`);
  if (mode !== SET) out.fill(mode === MAX ? -Infinity : mode === MIN ? Infinity : 0, 0, pixels);
  if (mode === SUM) counts!.fill(0, 0, pixels);
  resample(source, plane, options.interpolation, { mode, first, last, out, background: options.background, counts });
  if (mode === SET) return;
  // Max and min need no counts: a pixel still at ±Infinity had no sample inside.
  for (let p = 0; p < pixels; p++) {
    if (mode === SUM) out[p] = counts![p] === 0 ? options.background : out[p]! / counts![p]!;
    else if (out[p] === Infinity || out[p] === -Infinity) out[p] = options.background;
  }
}

/** Where and how samples go: SET writes each pixel's one sample; MAX, MIN and SUM fold samples first…last (normal steps) into `out`. */
interface Target {
  readonly mode: number;
  readonly first: number;
  readonly last: number;
  readonly out: NumericArray;
  readonly background: number;
  readonly counts: Uint16Array | undefined;
}

/**
 * Row by row, and within a row sample by sample across the slab, so that
 * the row being folded stays in cache: each sample's run of columns inside
 * the volume, by the whole-voxel, nearest or trilinear kernel.
 */
function resample(source: ResliceSource, plane: ViewPlane, interpolation: 'linear' | 'nearest', target: Target): void {
  const { rows, columns, origin, columnStep: cs, rowStep: rs, normalStep: ns } = plane;
  const { mode, first, last, out, background, counts } = target;
  const grid = gridOf(source);
  const whole = isWhole(origin) && isWhole(cs) && isWhole(rs) && (first === last || isWhole(ns));
  const linear = interpolation === 'linear' && !whole;
  // The range a sample may fall in: every voxel's half-voxel surroundings, for either kernel.
  const lo = -0.5;
  const hi: Vec3 = [grid.ni - 0.5 - 1e-9, grid.nj - 0.5 - 1e-9, grid.nk - 0.5 - 1e-9];
  const wholeStep = Math.round(cs[0]) + Math.round(cs[1]) * grid.sj + Math.round(cs[2]) * grid.sk;
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let s = first; s <= last; s++) {
      const x0 = origin[0] + r * rs[0] + s * ns[0];
      const y0 = origin[1] + r * rs[1] + s * ns[1];
      const z0 = origin[2] + r * rs[2] + s * ns[2];
      const [c0, c1] = columnRange(x0, y0, z0, cs, lo, hi, columns);
      if (mode === SET) {
        out.fill(background, row, row + Math.min(c0, columns));
        if (c1 + 1 < columns) out.fill(background, row + Math.max(c1 + 1, 0), row + columns);
      }
      if (c0 > c1) continue;
      if (whole) {
        const p = Math.round(x0 + c0 * cs[0]) + Math.round(y0 + c0 * cs[1]) * grid.sj + Math.round(z0 + c0 * cs[2]) * grid.sk;
        copyRun(source.voxels, p, wholeStep, out, row + c0, c1 - c0 + 1, mode, counts);
      } else if (linear) linearRun(grid, x0, y0, z0, cs, c0, c1, row, target);
      else nearestRun(grid, x0, y0, z0, cs, c0, c1, row, target);
    }
  }
}

/** A volume's sizes and strides, and its trilinear neighbours' offsets (the +1 voxel along an axis of one voxel is the voxel itself). */
interface Grid {
  readonly voxels: NumericArray;
  readonly ni: number;
  readonly nj: number;
  readonly nk: number;
  readonly sj: number;
  readonly sk: number;
  readonly di: number;
  readonly dj: number;
  readonly dk: number;
}

function gridOf(source: ResliceSource): Grid {
  const [ni, nj, nk] = source.dimensions;
  return { voxels: source.voxels, ni, nj, nk, sj: ni, sk: ni * nj, di: ni > 1 ? 1 : 0, dj: nj > 1 ? ni : 0, dk: nk > 1 ? ni * nj : 0 };
}

/** Columns c0…c1 of a row starting at (x0, y0, z0), nearest voxel of each sample, into out[row + c]. */
function nearestRun(grid: Grid, x0: number, y0: number, z0: number, step: Vec3, c0: number, c1: number, row: number, target: Target): void {
  const { voxels, ni, nj, nk, sj, sk } = grid;
  const { out, mode, counts } = target;
  const [sx, sy, sz] = step;
  for (let c = c0; c <= c1; c++) {
    // Samples lie at ≥ −0.5 but for a rounding error: +0.5 then truncation rounds, and the clamp absorbs the error.
    let i = (x0 + c * sx + 0.5) | 0;
    let j = (y0 + c * sy + 0.5) | 0;
    let k = (z0 + c * sz + 0.5) | 0;
    i = i < 0 ? 0 : i >= ni ? ni - 1 : i;
    j = j < 0 ? 0 : j >= nj ? nj - 1 : j;
    k = k < 0 ? 0 : k >= nk ? nk - 1 : k;
    const v = voxels[i + j * sj + k * sk]!;
    if (mode === SET) out[row + c] = v;
    else fold(out, counts!, row + c, v, mode);
  }
}

/**
 * Columns c0…c1 of a row starting at (x0, y0, z0), trilinear, into out[row + c]. A sample in the outer
 * half-voxel is moved onto the edge voxels' centres (edge replication): its value is theirs, blended along
 * the other axes only.
 */
function linearRun(grid: Grid, x0: number, y0: number, z0: number, step: Vec3, c0: number, c1: number, row: number, target: Target): void {
  const { voxels, sj, sk, di, dj, dk } = grid;
  const maxI = Math.max(0, grid.ni - 2);
  const maxJ = Math.max(0, grid.nj - 2);
  const maxK = Math.max(0, grid.nk - 2);
  const lastI = grid.ni - 1;
  const lastJ = grid.nj - 1;
  const lastK = grid.nk - 1;
  const [sx, sy, sz] = step;
  const { out, mode, counts } = target;
  // Stepping adds at most ~1e-10 voxel of rounding over a row, which the clamps absorb.
  let x = x0 + c0 * sx;
  let y = y0 + c0 * sy;
  let z = z0 + c0 * sz;
  for (let c = c0; c <= c1; c++, x += sx, y += sy, z += sz) {
    const cx = x < 0 ? 0 : x > lastI ? lastI : x;
    const cy = y < 0 ? 0 : y > lastJ ? lastJ : y;
    const cz = z < 0 ? 0 : z > lastK ? lastK : z;
    // Truncation is floor on the clamped (≥ 0) position; the last cell's upper corner is its own +1 neighbour's.
    const i = cx > maxI ? maxI : cx | 0;
    const j = cy > maxJ ? maxJ : cy | 0;
    const k = cz > maxK ? maxK : cz | 0;
    const fx = cx - i;
    const fy = cy - j;
    const fz = cz - k;
    const p = i + j * sj + k * sk;
    const v000 = voxels[p]!;
    const v100 = voxels[p + di]!;
    const v010 = voxels[p + dj]!;
    const v110 = voxels[p + dj + di]!;
    const v001 = voxels[p + dk]!;
    const v101 = voxels[p + dk + di]!;
    const v011 = voxels[p + dk + dj]!;
    const v111 = voxels[p + dk + dj + di]!;
    const a = v000 + fx * (v100 - v000);
    const b = v010 + fx * (v110 - v010);
    const e = v001 + fx * (v101 - v001);
    const f = v011 + fx * (v111 - v011);
    const front = a + fy * (b - a);
    const v = front + fz * (e + fy * (f - e) - front);
    if (mode === SET) out[row + c] = v;
    else fold(out, counts!, row + c, v, mode);
  }
}

/** `count` voxels from `p`, `step` apart, written or folded into out[o…]: the whole-voxel path, one tight loop per mode. */
function copyRun(voxels: NumericArray, p: number, step: number, out: NumericArray, o: number, count: number, mode: number, counts?: Uint16Array): void {
  const end = o + count;
  if (mode === SET) {
    for (; o < end; o++, p += step) out[o] = voxels[p]!;
    return;
  }
  if (mode === MAX) {
    for (; o < end; o++, p += step) {
      const v = voxels[p]!;
      if (v > out[o]!) out[o] = v;
    }
  } else if (mode === MIN) {
    for (; o < end; o++, p += step) {
      const v = voxels[p]!;
      if (v < out[o]!) out[o] = v;
    }
  } else {
    for (let n = o; n < end; n++) counts![n]!++;
    for (; o < end; o++, p += step) out[o] = out[o]! + voxels[p]!;
  }
}

function fold(out: NumericArray, counts: Uint16Array, o: number, v: number, mode: number): void {
  const current = out[o]!;
  if (mode === MAX) {
    if (v > current) out[o] = v;
  } else if (mode === MIN) {
    if (v < current) out[o] = v;
  } else {
    out[o] = current + v;
    counts[o]!++;
  }
}

/**
 * The columns c (whole, within 0…columns − 1) whose sample start + c·step
 * lies within [lo, hi[a]] on every axis, as an inclusive range (empty when
 * first > last).
 */
function columnRange(x: number, y: number, z: number, step: Vec3, lo: number, hi: Vec3, columns: number): [number, number] {
  const eps = 1e-7;
  let from = 0;
  let to = columns - 1;
  for (let a = 0; a < 3; a++) {
    const s = a === 0 ? x : a === 1 ? y : z;
    const d = step[a]!;
    if (Math.abs(d) < 1e-12) {
      if (s < lo - eps || s > hi[a]! + eps) return [1, 0];
      continue;
    }
    const t0 = (lo - s) / d;
    const t1 = (hi[a]! - s) / d;
    from = Math.max(from, Math.ceil(Math.min(t0, t1) - eps));
    to = Math.min(to, Math.floor(Math.max(t0, t1) + eps));
  }
  return [from, to];
}

function isWhole(v: Vec3): boolean {
  return Math.abs(v[0] - Math.round(v[0])) < 1e-9 && Math.abs(v[1] - Math.round(v[1])) < 1e-9 && Math.abs(v[2] - Math.round(v[2])) < 1e-9;
}
