import type { Vec3 } from '../../../core/geometry/types.js';
import type { LabelArray } from '../../../core/labels/LabelArray.js';

export interface KeepLargestParams {
  readonly labels: LabelArray;
  readonly dimensions: Vec3;
  /** Labels to clean; null means every non-zero label. */
  readonly appliedLabels: readonly number[] | null;
  /** MONAI's `independent`: each label on its own (true) or all applied labels as one foreground (false). */
  readonly independent: boolean;
  /** Orthogonal hops that make neighbours: 1 (6-connected), 2 (18), 3 (26, MONAI's default in 3D). */
  readonly connectivity: 1 | 2 | 3;
}

/**
 * MONAI's KeepLargestConnectedComponent on a label map, in place: voxels of
 * the applied labels outside their largest component become 0.
 */
export function keepLargestConnectedComponent(params: KeepLargestParams): void {
  const { labels } = params;
  const present = new Set<number>();
  for (let n = 0; n < labels.length; n++) if (labels[n]! !== 0) present.add(labels[n]!);
  const applied = (params.appliedLabels ?? [...present]).filter((l) => present.has(l));
  const groups = params.independent ? applied.map((l) => [l]) : applied.length > 0 ? [applied] : [];
  for (const group of groups) keepLargest(params, new Set(group));
}

function keepLargest(params: KeepLargestParams, members: Set<number>): void {
  const { labels, dimensions } = params;
  const [ni, nj, nk] = dimensions;
  const component = new Int32Array(labels.length).fill(-1);
  const queue = new Int32Array(labels.length);
  const offsets = neighbourOffsets(params.connectivity);
  const sizes: number[] = [];
  for (let seed = 0; seed < labels.length; seed++) {
    if (component[seed] !== -1 || !members.has(labels[seed]!)) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    component[seed] = id;
    while (head < tail) {
      const n = queue[head++]!;
      const i = n % ni;
      const j = Math.floor(n / ni) % nj;
      const k = Math.floor(n / (ni * nj));
      for (const [dx, dy, dz] of offsets) {
        const x = i + dx;
        const y = j + dy;
        const z = k + dz;
        if (x < 0 || y < 0 || z < 0 || x >= ni || y >= nj || z >= nk) continue;
        const m = x + ni * (y + nj * z);
        if (component[m] !== -1 || !members.has(labels[m]!)) continue;
        component[m] = id;
        queue[tail++] = m;
      }
    }
    sizes.push(tail);
  }
  if (sizes.length <= 1) return;
  const largest = sizes.indexOf(Math.max(...sizes));
  for (let n = 0; n < labels.length; n++) if (component[n]! >= 0 && component[n] !== largest) labels[n] = 0;
}

function neighbourOffsets(connectivity: 1 | 2 | 3): [number, number, number][] {
  const offsets: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const hops = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (hops > 0 && hops <= connectivity) offsets.push([dx, dy, dz]);
      }
    }
  }
  return offsets;
}
