import type { Vec3 } from '../geometry/types.js';

/**
 * Which values join the region: within ±tolerance of the clicked voxel's
 * value, within [min, max], or ITK's ConfidenceConnected statistics.
 */
export type RegionRule =
  | { readonly kind: 'tolerance'; readonly tolerance: number }
  | { readonly kind: 'range'; readonly min: number; readonly max: number }
  | {
      readonly kind: 'confidence';
      /** The interval is mean ± multiplier · σ (ITK's Multiplier, default 2.5). */
      readonly multiplier: number;
      /** Times the statistics are taken again over the grown region (ITK's NumberOfIterations, default 4). */
      readonly iterations?: number;
      /** The first statistics come from the (2r+1)³ voxels around the click (ITK's InitialNeighborhoodRadius, default 1). */
      readonly radius?: number;
    };

export interface RegionFromClickParams {
  /** The scan's real (rescaled) value at a voxel number (i fastest). */
  readonly valueAt: (voxel: number) => number;
  readonly dimensions: Vec3;
  /** The clicked voxel (integer indices inside the grid). */
  readonly seed: Vec3;
  readonly rule: RegionRule;
  /** The region stops growing past this many voxels (a leak into the whole body stays cheap); default 4,000,000. */
  readonly maxVoxels?: number;
  /** Voxels the region may not take or cross (e.g. locked segments'); default none. */
  readonly blocked?: (voxel: number) => boolean;
}

export interface RegionFromClickResult {
  /** 1 on the region's voxels, i fastest; null when the seed is blocked or outside the grid. */
  readonly mask: Uint8Array | null;
  readonly voxels: number;
  /** The value interval the region was grown in. */
  readonly min: number;
  readonly max: number;
  /** The region reached maxVoxels and was cut off there. */
  readonly truncated: boolean;
}

/**
 * Region growing from a clicked voxel over the scan's values, 6-connected:
 * connected threshold (ITK's ConnectedThresholdImageFilter) with the
 * interval given as ±tolerance around the clicked value or as [min, max],
 * or confidence connected (ITK's ConfidenceConnectedImageFilter: mean ±
 * multiplier · σ of the click's neighbourhood, then of the region, grown
 * again `iterations` times). The interval always holds the clicked value,
 * so the click itself is always in the region.
 * @throws RangeError for a grid, seed or rule that does not make sense
 */
export function regionFromClick(params: RegionFromClickParams): RegionFromClickResult {
  const { dimensions, seed, rule, valueAt } = params;
  const [nx, ny, nz] = dimensions;
  if (!dimensions.every((d) => Number.isInteger(d) && d > 0)) throw new RangeError(`grid ${dimensions.join('×')}`);
  const maxVoxels = params.maxVoxels ?? 4_000_000;
  if (!(maxVoxels >= 1)) throw new RangeError(`maxVoxels ${maxVoxels}`);
  const inside = seed.every((s, a) => Number.isInteger(s) && s >= 0 && s < dimensions[a]!);
  const start = seed[0] + nx * (seed[1] + ny * seed[2]);
  if (!inside || params.blocked?.(start)) return { mask: null, voxels: 0, min: NaN, max: NaN, truncated: false };
  const clicked = valueAt(start);
  if (rule.kind !== 'confidence') {
    const [min, max] = rule.kind === 'tolerance' ? checkedTolerance(clicked, rule.tolerance) : checkedRange(clicked, rule.min, rule.max);
    const { mask, voxels, truncated } = grow({ ...params, start, min, max, maxVoxels, total: nx * ny * nz });
    return { mask, voxels, truncated, min, max };
  }
  if (!(rule.multiplier >= 0)) throw new RangeError(`multiplier ${rule.multiplier}`);
  const iterations = rule.iterations ?? 4;
  let stats = neighbourhoodStats(params, rule.radius ?? 1);
  let min = 0;
  let max = 0;
  let region: ReturnType<typeof grow> | null = null;
  for (let round = 0; round <= iterations; round++) {
    [min, max] = intervalOf(stats, rule.multiplier, clicked);
    region = grow({ ...params, start, min, max, maxVoxels, total: nx * ny * nz });
    if (round < iterations) stats = regionStats(region, valueAt);
  }
  const { mask, voxels, truncated } = region!;
  return { mask, voxels, truncated, min, max };
}

function checkedTolerance(clicked: number, tolerance: number): [number, number] {
  if (!(tolerance >= 0)) throw new RangeError(`tolerance ${tolerance}`);
  return [clicked - tolerance, clicked + tolerance];
}

function checkedRange(clicked: number, min: number, max: number): [number, number] {
  if (!(min <= max)) throw new RangeError(`range [${min}, ${max}]`);
  return [Math.min(min, clicked), Math.max(max, clicked)];
}

interface Stats {
  readonly mean: number;
  readonly sd: number;
}

function intervalOf(stats: Stats, multiplier: number, clicked: number): [number, number] {
  return [Math.min(stats.mean - multiplier * stats.sd, clicked), Math.max(stats.mean + multiplier * stats.sd, clicked)];
}

/** Mean and σ of the (2r+1)³ voxels around the seed that lie in the grid. */
function neighbourhoodStats(params: RegionFromClickParams, radius: number): Stats {
  const { dimensions: d, seed, valueAt } = params;
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  for (let k = Math.max(0, seed[2] - radius); k <= Math.min(d[2] - 1, seed[2] + radius); k++) {
    for (let j = Math.max(0, seed[1] - radius); j <= Math.min(d[1] - 1, seed[1] + radius); j++) {
      for (let i = Math.max(0, seed[0] - radius); i <= Math.min(d[0] - 1, seed[0] + radius); i++) {
        const v = valueAt(i + d[0] * (j + d[1] * k));
        n++;
        sum += v;
        sum2 += v * v;
      }
    }
  }
  return statsOf(n, sum, sum2);
}

function regionStats(region: { readonly list: Uint32Array; readonly voxels: number }, valueAt: (voxel: number) => number): Stats {
  let sum = 0;
  let sum2 = 0;
  for (let k = 0; k < region.voxels; k++) {
    const v = valueAt(region.list[k]!);
    sum += v;
    sum2 += v * v;
  }
  return statsOf(region.voxels, sum, sum2);
}

function statsOf(n: number, sum: number, sum2: number): Stats {
  const mean = sum / n;
  return { mean, sd: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}

interface GrowParams extends RegionFromClickParams {
  readonly start: number;
  readonly min: number;
  readonly max: number;
  readonly maxVoxels: number;
  readonly total: number;
}

/** Breadth-first 6-connected growth in [min, max] from `start`; the visit list doubles as the queue. */
function grow(p: GrowParams): { mask: Uint8Array; voxels: number; truncated: boolean; list: Uint32Array } {
  const [nx, ny] = p.dimensions;
  const { valueAt, blocked, min, max } = p;
  const mask = new Uint8Array(p.total);
  const list = new Uint32Array(Math.min(p.maxVoxels, p.total));
  const plane = nx * ny;
  let count = 0;
  let truncated = false;
  const visit = (n: number): void => {
    if (mask[n] !== 0 || blocked?.(n)) return;
    const v = valueAt(n);
    if (!(v >= min && v <= max)) return;
    if (count === list.length) {
      truncated = true;
      return;
    }
    mask[n] = 1;
    list[count++] = n;
  };
  visit(p.start);
  // Bounds from the voxel number alone (one remainder each), not from (i, j, k).
  const lastRow = plane - nx;
  const lastPlane = p.total - plane;
  for (let head = 0; head < count; head++) {
    const n = list[head]!;
    const i = n % nx;
    const inPlane = n % plane;
    if (i > 0) visit(n - 1);
    if (i < nx - 1) visit(n + 1);
    if (inPlane >= nx) visit(n - nx);
    if (inPlane < lastRow) visit(n + nx);
    if (n >= plane) visit(n - plane);
    if (n < lastPlane) visit(n + plane);
  }
  return { mask, voxels: count, truncated, list };
}
