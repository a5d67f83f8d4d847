import type { Vec3 } from '../../../../core/geometry/types.js';
import { BLOCKED } from '../../../../core/segmentation/growFromSeedsTypes.js';

/** What the reference needs: an integer image (one level per unit, as a CT's HU) on a whole grid. */
export interface ReferenceInput {
  readonly dimensions: Vec3;
  readonly spacing: Vec3;
  readonly image: Int16Array;
  readonly seeds: Uint8Array;
  readonly neighbourhood: 6 | 26;
  /** Cost per mm walked, in image units (rounded per step as the grow rounds it). */
  readonly distancePenalty: number;
}

/**
 * Fast grow-cut's answer written the plain way, for checking the fast one:
 * for each seed class c, Dijkstra with a binary heap from c's seeds alone
 * (other classes' seeds and blocked voxels walled off), step cost
 * |ΔHU| + round(penalty × step mm). A voxel may take class c exactly when
 * D_c is the least of its classes' costs; where several are least (a tie)
 * either is right. Returns D_c per class (Infinity where unreached), index c - 1.
 */
export function referenceClassCosts(input: ReferenceInput, classes: readonly number[]): Float64Array[] {
  const steps = referenceSteps(input);
  return classes.map((c) => dijkstraFrom(input, c, steps));
}

/** The classes whose cost at voxel v is least (empty where none reaches it). */
export function cheapestClasses(costs: readonly Float64Array[], classes: readonly number[], v: number): number[] {
  const least = Math.min(...costs.map((d) => d[v]!));
  return least === Infinity ? [] : classes.filter((_, n) => costs[n]![v] === least);
}

interface Step {
  readonly di: number;
  readonly dj: number;
  readonly dk: number;
  readonly cost: number;
}

function referenceSteps({ neighbourhood, spacing, distancePenalty }: ReferenceInput): Step[] {
  const steps: Step[] = [];
  for (let dk = -1; dk <= 1; dk++) {
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const moved = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
        if (moved === 0 || (neighbourhood === 6 && moved > 1)) continue;
        steps.push({ di, dj, dk, cost: Math.round(distancePenalty * Math.hypot(di * spacing[0], dj * spacing[1], dk * spacing[2])) });
      }
    }
  }
  return steps;
}

function dijkstraFrom({ dimensions, image, seeds }: ReferenceInput, seedClass: number, steps: readonly Step[]): Float64Array {
  const [nx, ny, nz] = dimensions;
  const cost = new Float64Array(image.length).fill(Infinity);
  const heap = new MinHeap();
  for (let v = 0; v < seeds.length; v++) {
    if (seeds[v] !== seedClass) continue;
    cost[v] = 0;
    heap.push(0, v);
  }
  while (heap.size > 0) {
    const [d, v] = heap.pop();
    if (d !== cost[v]) continue;
    const [i, j, k] = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    for (const s of steps) {
      const [a, b, c] = [i + s.di, j + s.dj, k + s.dk];
      if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
      const u = (c * ny + b) * nx + a;
      if (seeds[u] !== 0 && seeds[u] !== seedClass) continue;
      const nd = d + Math.abs(image[v]! - image[u]!) + s.cost;
      if (nd < cost[u]!) {
        cost[u] = nd;
        heap.push(nd, u);
      }
    }
  }
  for (let v = 0; v < seeds.length; v++) if (seeds[v] === BLOCKED) cost[v] = Infinity;
  return cost;
}

/** A binary min-heap of (key, value) pairs. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, value: number): void {
    const { keys, values } = this;
    let n = keys.length;
    keys.push(key);
    values.push(value);
    while (n > 0) {
      const parent = (n - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[n] = keys[parent]!;
      values[n] = values[parent]!;
      n = parent;
    }
    keys[n] = key;
    values[n] = value;
  }

  pop(): [number, number] {
    const { keys, values } = this;
    const top: [number, number] = [keys[0]!, values[0]!];
    const key = keys.pop()!;
    const value = values.pop()!;
    const size = keys.length;
    if (size === 0) return top;
    let n = 0;
    for (;;) {
      let child = 2 * n + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[n] = keys[child]!;
      values[n] = values[child]!;
      n = child;
    }
    keys[n] = key;
    values[n] = value;
    return top;
  }
}
