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
 * the applied labels outside their largest component become 0 (MONAI's defaults:
 * every non-zero label, independent, full connectivity, one component kept).
 */
export function keepLargestConnectedComponent(params: KeepLargestParams): void {
  const { labels } = params;
  const present = new Set<number>();
  for (let n = 0; n < labels.length; n++) if (labels[n]! !== 0) present.add(labels[n]!);
  const applied = (params.appliedLabels ?? [...present]).filter((l) => present.has(l));
  const groups = params.independent ? applied.map((l) => [l]) : applied.length > 0 ? [applied] : [];
  for (const group of groups) keepLargest(params, new Set(group));
}

/**
 * Keeps the largest component of the members' voxels. Of equal largest, the one MONAI keeps: get_largest_connected_component_mask
 * takes the last of numpy's argsort of the sizes, which for up to 15 components (numpy 1.24 sorts 16 values by insertion,
 * stably) is the component scikit-image numbered last, whose first voxel in MONAI's order ([i, j, k], k fastest) comes last.
 * With more, or a numpy that sorts with SIMD, numpy's order of equal sizes is unspecified, and this rule stands in for it.
 */
function keepLargest(params: KeepLargestParams, members: Set<number>): void {
  const { labels, dimensions } = params;
  const [ni, nj, nk] = dimensions;
  const component = new Int32Array(labels.length).fill(-1);
  const queue = new Int32Array(labels.length);
  const offsets = neighbourOffsets(params.connectivity);
  let count = 0;
  let largest = -1;
  let largestSize = 0;
  let largestFirst = -1;
  for (let seed = 0; seed < labels.length; seed++) {
    if (component[seed] !== -1 || !members.has(labels[seed]!)) continue;
    const id = count++;
    let head = 0;
    let tail = 0;
    /** The component's first voxel in MONAI's k-fastest order. */
    let first = Infinity;
    queue[tail++] = seed;
    component[seed] = id;
    while (head < tail) {
      const n = queue[head++]!;
      const i = n % ni;
      const j = Math.floor(n / ni) % nj;
      const k = Math.floor(n / (ni * nj));
      first = Math.min(first, k + nk * (j + nj * i));
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
    if (tail > largestSize || (tail === largestSize && first > largestFirst)) {
      largest = id;
      largestSize = tail;
      largestFirst = first;
    }
  }
  if (count <= 1) return;
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
