import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import type { Vec3, VolumeGeometry } from '../../../core/geometry/types.js';
import type { ClickPoint } from './ClickPoint.js';

/**
 * The click a simulated annotator makes next (the NoC protocol of the DeepEdit and nnInteractive papers): in the
 * largest 6-connected error region, at its voxel farthest (city-block distance) from the region's outside and the
 * scan's edge; a foreground click where the organ was missed, a background click where too much was taken.
 * `truth` and `prediction` are 0/non-zero label arrays on `grid`, i fastest. Undefined when they agree.
 */
export function largestErrorClick(grid: VolumeGeometry, truth: ArrayLike<number>, prediction: ArrayLike<number>): ClickPoint | undefined {
  const [ni, nj, nk] = grid.dimensions;
  const n = ni * nj * nk;
  const error = new Int8Array(n);
  for (let v = 0; v < n; v++) error[v] = truth[v]! !== 0 && prediction[v]! === 0 ? 1 : truth[v]! === 0 && prediction[v]! !== 0 ? 2 : 0;
  const component = new Int32Array(n).fill(-1);
  const steps = [1, -1, ni, -ni, ni * nj, -ni * nj];
  const neighbour = (v: number, s: number): number => {
    const i = v % ni;
    const j = Math.floor(v / ni) % nj;
    const k = Math.floor(v / (ni * nj));
    if ((s === 1 && i === ni - 1) || (s === -1 && i === 0) || (s === ni && j === nj - 1) || (s === -ni && j === 0)) return -1;
    if ((s === ni * nj && k === nk - 1) || (s === -ni * nj && k === 0)) return -1;
    return v + s;
  };
  let best: { voxels: number[]; kind: 1 | 2 } | undefined;
  const queue = new Int32Array(n);
  for (let seed = 0; seed < n; seed++) {
    if (error[seed] === 0 || component[seed]! >= 0) continue;
    const kind = error[seed] as 1 | 2;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    component[seed] = seed;
    while (head < tail) {
      const v = queue[head++]!;
      for (const s of steps) {
        const w = neighbour(v, s);
        if (w >= 0 && error[w] === kind && component[w]! < 0) {
          component[w] = seed;
          queue[tail++] = w;
        }
      }
    }
    if (!best || tail > best.voxels.length) best = { voxels: Array.from(queue.subarray(0, tail)), kind };
  }
  if (!best) return undefined;
  const voxel = deepestVoxel(best.voxels, component, neighbour, steps);
  const index: Vec3 = [voxel % ni, Math.floor(voxel / ni) % nj, Math.floor(voxel / (ni * nj))];
  return { kind: best.kind === 1 ? 'fg' : 'bg', world: indexToWorld(grid, index) };
}

/** Peels the region from its boundary inwards (breadth first); the last voxel reached is the deepest. */
function deepestVoxel(voxels: number[], component: Int32Array, neighbour: (v: number, s: number) => number, steps: number[]): number {
  const id = component[voxels[0]!]!;
  const depth = new Map<number, number>();
  let frontier: number[] = [];
  for (const v of voxels) {
    if (
      steps.some((s) => {
        const w = neighbour(v, s);
        return w < 0 || component[w] !== id;
      })
    ) {
      depth.set(v, 1);
      frontier.push(v);
    }
  }
  let last = frontier[0]!;
  while (frontier.length > 0) {
    last = frontier[Math.floor(frontier.length / 2)]!;
    const next: number[] = [];
    for (const v of frontier) {
      for (const s of steps) {
        const w = neighbour(v, s);
        if (w >= 0 && component[w] === id && !depth.has(w)) {
          depth.set(w, depth.get(v)! + 1);
          next.push(w);
        }
      }
    }
    frontier = next;
  }
  return last;
}
