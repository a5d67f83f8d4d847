import type { SegmentDef } from '../../../../core/contract.js';
import type { Mat3, Vec3 } from '../../../../core/geometry/types.js';
import { decodeRuns } from '../../../../renderer/segmentation/decodeRuns.js';
import type { SegmentationEvent, SegmentationGrid } from '../../../../renderer/segmentation/types.js';
import type { LabelArray } from '../../../../core/labels/LabelArray.js';

export const identity: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

export function grid(dimensions: Vec3, spacing: Vec3 = [1, 1, 1], direction: Mat3 = identity): SegmentationGrid {
  return { dimensions, spacing, direction };
}

export function segment(value: number, extra: Partial<SegmentDef> = {}): SegmentDef {
  return { layer: 0, value, name: `S${value}`, colour: [value % 256, 0, 0], algorithmType: 'MANUAL', locked: false, ...extra };
}

/** FNV-1a over the values: equal layers give equal checksums, a one-voxel change almost surely not. */
export function checksum(layer: LabelArray): number {
  let h = 0x811c9dc5;
  for (let n = 0; n < layer.length; n++) h = Math.imul(h ^ layer[n]!, 0x01000193);
  return h >>> 0;
}

/** Count of voxels holding a value. */
export function count(layer: LabelArray, value: number): number {
  let c = 0;
  for (let n = 0; n < layer.length; n++) if (layer[n] === value) c++;
  return c;
}

/** A mirror of the layers kept only from events, as main keeps one. */
export function mirrorOf(layers: readonly LabelArray[]): { layers: LabelArray[]; apply(event: SegmentationEvent): void } {
  const copy = layers.map((l) => l.slice());
  return {
    layers: copy,
    apply(event) {
      for (const edit of event.edits) {
        const layer = copy[edit.layer]!;
        if (layer instanceof Uint8Array && edit.runs.some((v, k) => k % 3 === 2 && v > 0xff)) copy[edit.layer] = Uint16Array.from(layer);
        decodeRuns(edit.runs, copy[edit.layer]!);
      }
    },
  };
}

/** A repeatable pseudo-random source. */
export function randomSource(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * Reference labelling by a plain breadth-first flood over the whole volume:
 * the component number of each chosen voxel (−1 elsewhere). `steps` are the
 * allowed (di, dj, dk) neighbour offsets.
 */
export function floodComponents(dims: Vec3, chosen: (n: number) => boolean, steps: readonly Vec3[]): Int32Array {
  const [ni, nj, nk] = dims;
  const label = new Int32Array(ni * nj * nk).fill(-1);
  let next = 0;
  for (let seed = 0; seed < label.length; seed++) {
    if (!chosen(seed) || label[seed] !== -1) continue;
    const queue = [seed];
    label[seed] = next;
    while (queue.length > 0) {
      const n = queue.pop()!;
      const i = n % ni;
      const j = Math.floor(n / ni) % nj;
      const k = Math.floor(n / (ni * nj));
      for (const [di, dj, dk] of steps) {
        const [a, b, c] = [i + di, j + dj, k + dk];
        if (a < 0 || b < 0 || c < 0 || a >= ni || b >= nj || c >= nk) continue;
        const m = a + ni * (b + nj * c);
        if (chosen(m) && label[m] === -1) {
          label[m] = next;
          queue.push(m);
        }
      }
    }
    next++;
  }
  return label;
}

/** Neighbour offsets: all 26, or the 6 faces, optionally only those in the plane across an axis. */
export function neighbourSteps(kind: 'full' | 'face', planeAxis?: 0 | 1 | 2): Vec3[] {
  const out: Vec3[] = [];
  for (let dk = -1; dk <= 1; dk++) {
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const d: Vec3 = [di, dj, dk];
        const steps = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
        if (steps === 0 || (kind === 'face' && steps !== 1) || (planeAxis !== undefined && d[planeAxis] !== 0)) continue;
        out.push(d);
      }
    }
  }
  return out;
}
