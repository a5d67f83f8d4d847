import type { Vec3 } from '../geometry/types.js';
import { findSeedExtent, widenSeedBox } from './growFromSeedsBox.js';
import { GrowFromSeedsError } from './GrowFromSeedsError.js';
import { levelScaleOf } from './growFromSeedsLevels.js';
import { propagateGrowFromSeeds, UNREACHED, type GrowArrays } from './growFromSeedsPropagate.js';
import { GrowFromSeedsQueue } from './growFromSeedsQueue.js';
import { BLOCKED, type GrowFromSeedsOptions, type GrowFromSeedsResult, type SeedMap, type VoxelBox } from './growFromSeedsTypes.js';
import { checkGrowOptions } from './checkGrowOptions.js';
import { neighbourSteps } from './growFromSeedsNeighbours.js';

/** Grows seed maps over one scan, reusing the last result when only seeds were added. */
export interface GrowFromSeedsSession {
  /**
   * Grows `seeds` (a {@link SeedMap} over the whole grid).
   * @throws GrowFromSeedsError GROW_INVALID_INPUT for a seed map of the wrong size, GROW_TOO_FEW_SEEDS for fewer than two classes
   */
  grow(seeds: SeedMap): GrowFromSeedsResult;
}

/** A grow's arrays with what they were made for. */
interface GrowState extends GrowArrays {
  readonly box: VoxelBox;
  /** Padded box sizes. */
  readonly size: Vec3;
  /** The seed map's values in the padded box at the last grow (a path of zero cost makes distance alone ambiguous). */
  readonly seed: Uint8Array;
  /** The largest weight one step can add. */
  readonly maxWeight: number;
}

/**
 * Starts a fast grow-cut session on one scan (Slicer's Grow from seeds):
 * each {@link GrowFromSeedsSession.grow} labels the box by the cheapest path
 * from the seeds. When the box is unchanged and the new seeds hold every old
 * seed with its class (strokes were only added), only the new seeds are
 * propagated against the kept distances, as Slicer's adaptive Dijkstra does;
 * anything else (a seed erased, a class changed, a new box) grows afresh.
 * @throws GrowFromSeedsError GROW_INVALID_INPUT for inconsistent options (sizes, box, neighbourhood, penalty)
 */
export function createGrowFromSeedsSession(options: GrowFromSeedsOptions): GrowFromSeedsSession {
  checkGrowOptions(options);
  let state: GrowState | null = null;
  return {
    grow(seeds: SeedMap): GrowFromSeedsResult {
      const { dimensions } = options;
      if (seeds.length !== options.image.length)
        throw new GrowFromSeedsError('GROW_INVALID_INPUT', `seed map of ${seeds.length} voxels for a grid of ${options.image.length}`);
      const box = options.box ?? defaultBox(seeds, dimensions, options.marginFraction ?? 0.1);
      let queue = state !== null && sameBox(state.box, box) ? new GrowFromSeedsQueue(state.maxWeight) : null;
      const reuse = queue !== null && state !== null && queueNewSeeds(state, seeds, dimensions, queue);
      if (!reuse) [state, queue] = initialState(options, seeds, box, state);
      const settled = propagateGrowFromSeeds(state!, queue!);
      return { box, labels: unpad(state!), settled, incremental: reuse };
    },
  };
}

function defaultBox(seeds: SeedMap, dimensions: Vec3, fraction: number): VoxelBox {
  const extent = findSeedExtent(seeds, dimensions);
  if (!extent.box || extent.classes.length < 2)
    throw new GrowFromSeedsError('GROW_TOO_FEW_SEEDS', `seeds of ${extent.classes.length} segment(s); two or more are needed`);
  return widenSeedBox(extent.box, dimensions, fraction);
}

/** Penalties are held below this many levels per step, so the queue's ring stays small. */
const MAX_PENALTY_LEVELS = 1 << 20;
/** The largest box grown in, padding included (the whole of a 512×512×1000 CT fits). */
const maxBoxVoxels = 2 ** 28;

/** Fresh arrays for the box (reused when the box keeps its size): levels, seeds queued at 0, the rest unreached. */
function initialState(options: GrowFromSeedsOptions, seeds: SeedMap, box: VoxelBox, old: GrowState | null): [GrowState, GrowFromSeedsQueue] {
  const { dimensions, image } = options;
  const size: Vec3 = [box.max[0] - box.min[0] + 3, box.max[1] - box.min[1] + 3, box.max[2] - box.min[2] + 3];
  const total = size[0] * size[1] * size[2];
  // Nine bytes a voxel (two Int32 words and a seed byte): past 2^28 voxels that is 2.3 GB, more than a worker may hold.
  if (total > maxBoxVoxels) {
    const gb = ((total * 9) / 1e9).toFixed(1);
    throw new GrowFromSeedsError('GROW_TOO_LARGE', `growing in a box of ${total} voxels would need ${gb} GB; set a smaller box around the organ`);
  }
  const fits = old !== null && old.size.every((s, a) => s === size[a]);
  const steps = neighbourSteps(options.neighbourhood, options.spacing, size);
  const scale = levelScaleOf(image, dimensions, box);
  const penalties = Int32Array.from(steps.lengthsMm, (mm) => Math.min(MAX_PENALTY_LEVELS, Math.round((options.distancePenalty * mm) / scale.unit)));
  const cell = fits ? old.cell : new Int32Array(2 * total);
  const seed = fits ? old.seed : new Uint8Array(total);
  const maxWeight = scale.top + Math.max(...penalties);
  const queue = new GrowFromSeedsQueue(maxWeight);
  const present = new Uint8Array(256);
  forEachBoxRow(box, dimensions, size, (src, dst, count) => {
    for (let i = 0; i < count; i++) {
      const s = seeds[src + i]!;
      const c = 2 * (dst + i);
      seed[dst + i] = s;
      present[s] = 1;
      const level = scale.exact ? image[src + i]! - scale.min : Math.round((image[src + i]! - scale.min) / scale.unit);
      cell[c] = s === 0 ? UNREACHED : 0;
      cell[c + 1] = level | ((s === BLOCKED ? 0 : s) << 16);
      if (s !== 0 && s !== BLOCKED) queue.push(c, 0);
    }
  });
  const classes = present.subarray(1, BLOCKED).reduce((n, p) => n + p, 0);
  if (classes < 2) throw new GrowFromSeedsError('GROW_TOO_FEW_SEEDS', `seeds of ${classes} segment(s) in the box; two or more are needed`);
  const offsets = steps.offsets.map((o) => 2 * o);
  const rows = steps.rows.map((o) => 2 * o);
  return [{ box, size, seed, cell, offsets, rows, penalties, maxWeight }, queue];
}

/**
 * Queues seeds that are new since the last grow and reports whether the last
 * result can be kept: false as soon as a seed or blocked voxel was removed or
 * a seed changed class (the caller then starts afresh, overwriting all).
 */
function queueNewSeeds(state: GrowState, seeds: SeedMap, dimensions: Vec3, queue: GrowFromSeedsQueue): boolean {
  const { seed, cell } = state;
  let ok = true;
  forEachBoxRow(state.box, dimensions, state.size, (src, dst, count) => {
    for (let i = 0; ok && i < count; i++) {
      const s = seeds[src + i]!;
      const was = seed[dst + i]!;
      if (s === was) continue;
      if (was !== 0 || s === BLOCKED) ok = false;
      else {
        const c = 2 * (dst + i);
        seed[dst + i] = s;
        cell[c] = 0;
        cell[c + 1] = (cell[c + 1]! & 0xffff) | (s << 16);
        queue.push(c, 0);
      }
    }
  });
  return ok;
}

/** Calls `visit` for each row of the box: its first voxel in the grid, in the padded box, and its length. */
function forEachBoxRow(box: VoxelBox, dimensions: Vec3, size: Vec3, visit: (src: number, dst: number, count: number) => void): void {
  const count = box.max[0] - box.min[0] + 1;
  for (let k = box.min[2]; k <= box.max[2]; k++) {
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      const src = (k * dimensions[1] + j) * dimensions[0] + box.min[0];
      const dst = ((k - box.min[2] + 1) * size[1] + (j - box.min[1] + 1)) * size[0] + 1;
      visit(src, dst, count);
    }
  }
}

/** The box's labels without the padding. */
function unpad(state: GrowState): Uint8Array {
  const [sx, sy, sz] = state.size;
  const nx = sx - 2;
  const out = new Uint8Array(nx * (sy - 2) * (sz - 2));
  for (let k = 1, o = 0; k < sz - 1; k++) {
    for (let j = 1; j < sy - 1; j++, o += nx) {
      const from = 2 * ((k * sy + j) * sx + 1);
      for (let i = 0; i < nx; i++) out[o + i] = state.cell[from + 2 * i + 1]! >>> 16;
    }
  }
  return out;
}

function sameBox(a: VoxelBox, b: VoxelBox): boolean {
  return a.min.every((v, i) => v === b.min[i]) && a.max.every((v, i) => v === b.max[i]);
}
