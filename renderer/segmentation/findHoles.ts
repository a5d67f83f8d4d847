import type { Axis, Vec3 } from '../../core/geometry/types.js';
import { connectedRuns } from './connectedRuns.js';
import { segmentBounds } from './segmentBounds.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { UintList } from './UintList.js';

export interface FindHolesParams {
  readonly layer: LabelArray;
  readonly dimensions: Vec3;
  /** The segment's label value. */
  readonly value: number;
  /** lockedValues[v] is 1 when label v belongs to a locked segment: such voxels are never filled. */
  readonly lockedValues: Uint8Array;
  /** Per slice across this axis (4-connected) when given; else in 3D (6-connected). */
  readonly planeAxis?: Axis;
}

/**
 * The voxels (ascending voxel numbers) of a segment's holes: voxels not in
 * the segment and not locked that no path of non-segment voxels joins to the
 * volume's border (the slice's border, per slice). Holes lie inside the
 * segment's bounding box, and everything outside that box joins the border,
 * so only the box is labelled: a non-segment component reaching a face of
 * the box (an in-plane face, per slice) is outside.
 */
export function findHoles(params: FindHolesParams): Uint32Array {
  const { layer, dimensions, value, lockedValues, planeAxis } = params;
  const bounds = segmentBounds(layer, dimensions, value);
  if (!bounds) return new Uint32Array(0);
  const runs = connectedRuns({ layer, dimensions, bounds, value, match: false, connectivity: 'face', planeAxis });
  const [ua, va, wa] = runs.order;
  const outside = new Uint8Array(runs.componentCount);
  for (let k = 0; k < runs.runCount; k++) {
    const atFace =
      runs.uStart[k] === bounds.lo[ua] ||
      runs.uEnd[k] === bounds.hi[ua] ||
      runs.v[k] === bounds.lo[va] ||
      runs.v[k] === bounds.hi[va] ||
      (planeAxis === undefined && (runs.w[k] === bounds.lo[wa] || runs.w[k] === bounds.hi[wa]));
    if (atFace) outside[runs.component[k]!] = 1;
  }
  const holes = new UintList();
  const su = runs.uStride;
  for (let k = 0; k < runs.runCount; k++) {
    if (outside[runs.component[k]!] === 1) continue;
    const base = runs.base[k]!;
    for (let u = runs.uStart[k]!; u <= runs.uEnd[k]!; u++) {
      const n = base + u * su;
      if (lockedValues[layer[n]!] !== 1) holes.push(n);
    }
  }
  const out = holes.toArray();
  // Rows run in ascending voxel order only when v and w are j and k.
  return va === 1 && wa === 2 ? out : out.sort();
}
