import type { Vec3 } from '../../../core/geometry/types.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import { createVolume, type Volume } from '../../volume/Volume.js';
import type { VoxelBox } from './ClickPoint.js';

/** The ROI's default edge in source voxels: the network sees a 128³ block at native resolution. */
export const defaultRoiVoxels = 128;

/**
 * A box around the clicked voxels for a quick rerun: `edge` voxels per axis (or more, to hold every click with
 * a margin of a quarter edge), centred on the clicks' bounding box and shifted to lie inside the scan.
 */
export function roiAroundClicks(voxels: readonly Vec3[], dimensions: Vec3, edge = defaultRoiVoxels): VoxelBox {
  const start: number[] = [];
  const end: number[] = [];
  for (let a = 0; a < 3; a++) {
    const n = dimensions[a]!;
    const lo = Math.min(...voxels.map((v) => v[a]!));
    const hi = Math.max(...voxels.map((v) => v[a]!));
    const size = Math.min(n, Math.max(edge, hi - lo + 1 + Math.ceil(edge / 2)));
    const first = Math.max(0, Math.min(n - size, Math.round((lo + hi + 1) / 2 - size / 2)));
    start.push(first);
    end.push(first + size);
  }
  return { start: start as unknown as Vec3, end: end as unknown as Vec3 };
}

/** The box's voxels as a volume of their own, on the same axes, its origin at the box's first voxel. */
export function cropVolume(volume: Volume, box: VoxelBox): Volume {
  const [ni, nj] = volume.dimensions;
  const dims = [0, 1, 2].map((a) => box.end[a]! - box.start[a]!) as unknown as Vec3;
  const Ctor = volume.voxels.constructor as new (n: number) => typeof volume.voxels;
  const voxels = new Ctor(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = box.start[2]; k < box.end[2]; k++) {
    for (let j = box.start[1]; j < box.end[1]; j++) {
      const row = (k * nj + j) * ni;
      voxels.set(volume.voxels.subarray(row + box.start[0], row + box.end[0]), n);
      n += dims[0];
    }
  }
  return createVolume({ ...volume, dimensions: dims, origin: indexToWorld(volume, box.start), voxels });
}

/** Writes a box's labels into a label array on the whole scan's grid (i fastest). */
export function pasteBox(target: Uint8Array, dimensions: Vec3, box: VoxelBox, labels: Uint8Array): void {
  const [ni, nj] = dimensions;
  const width = box.end[0] - box.start[0];
  let n = 0;
  for (let k = box.start[2]; k < box.end[2]; k++) {
    for (let j = box.start[1]; j < box.end[1]; j++, n += width) target.set(labels.subarray(n, n + width), (k * nj + j) * ni + box.start[0]);
  }
}
