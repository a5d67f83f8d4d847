import type { Vec3 } from '../../core/geometry/types.js';
import { connectedRuns } from './connectedRuns.js';
import { segmentBounds } from './segmentBounds.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import { UintList } from './UintList.js';

export interface FindIslandsParams {
  readonly layer: LabelArray;
  readonly dimensions: Vec3;
  /** The segment's label value. */
  readonly value: number;
  /** Which components stay: the largest one (the first found of equal largest), or those of at least minVoxels. */
  readonly keep: 'largest' | { readonly minVoxels: number };
}

/**
 * The voxels (ascending voxel numbers) of a segment's 26-connected
 * components that are not kept (MONAI's KeepLargestConnectedComponent with
 * full connectivity), labelled by runs within the segment's bounding box.
 */
export function findIslands(params: FindIslandsParams): Uint32Array {
  const { layer, dimensions, value, keep } = params;
  const bounds = segmentBounds(layer, dimensions, value);
  if (!bounds) return new Uint32Array(0);
  const runs = connectedRuns({ layer, dimensions, bounds, value, match: true, connectivity: 'full' });
  const { sizes } = runs;
  const dropped = new Uint8Array(runs.componentCount);
  if (keep === 'largest') {
    let largest = 0;
    for (let c = 1; c < sizes.length; c++) if (sizes[c]! > sizes[largest]!) largest = c;
    dropped.fill(1);
    dropped[largest] = 0;
  } else {
    for (let c = 0; c < sizes.length; c++) if (sizes[c]! < keep.minVoxels) dropped[c] = 1;
  }
  const out = new UintList();
  for (let k = 0; k < runs.runCount; k++) {
    if (dropped[runs.component[k]!] !== 1) continue;
    const base = runs.base[k]!;
    for (let u = runs.uStart[k]!; u <= runs.uEnd[k]!; u++) out.push(base + u);
  }
  return out.toArray();
}
