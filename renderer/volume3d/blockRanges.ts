import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { Vec3 } from '../../core/geometry/types.js';

/**
 * The value range each block of blockSize³ voxels can show: the minimum and
 * maximum over the block's voxels and the one-voxel rim around them, which
 * is all that trilinear samples taken inside the block (continuous index
 * [b·size − 0.5, (b + 1)·size − 0.5) per axis) can reach. A block whose
 * range the transfer function leaves transparent is skipped by the rays.
 */
export interface BlockRanges {
  readonly dims: Vec3;
  readonly blockSize: number;
  /** Blocks per axis: ceil(dims / blockSize). */
  readonly blocks: Vec3;
  /** Per block, i fastest: +Infinity / −Infinity until a voxel reaches it. */
  readonly min: Float32Array;
  readonly max: Float32Array;
}

/** Empty ranges for a grid. */
export function createBlockRanges(dims: Vec3, blockSize: number): BlockRanges {
  const blocks: Vec3 = [Math.ceil(dims[0] / blockSize), Math.ceil(dims[1] / blockSize), Math.ceil(dims[2] / blockSize)];
  const count = blocks[0] * blocks[1] * blocks[2];
  return { dims, blockSize, blocks, min: new Float32Array(count).fill(Infinity), max: new Float32Array(count).fill(-Infinity) };
}

/**
 * Adds slices [kFrom, kTo) of the voxels (i fastest) to the ranges. Each
 * row is reduced per block column once, then merged into every block whose
 * rim the row lies in.
 */
export function accumulateBlockRanges(voxels: NumericArray, ranges: BlockRanges, kFrom: number, kTo: number): void {
  const { dims, blockSize: size, blocks, min, max } = ranges;
  const [ni, nj] = dims;
  const [bi, bj] = blocks;
  const rowMin = new Float64Array(bi);
  const rowMax = new Float64Array(bi);
  for (let k = kFrom; k < kTo; k++) {
    const kBlocks = blocksReaching(k, size, blocks[2]);
    for (let j = 0; j < nj; j++) {
      const row = (k * nj + j) * ni;
      for (let b = 0; b < bi; b++) {
        let lo = Infinity;
        let hi = -Infinity;
        const end = Math.min(ni - 1, (b + 1) * size);
        for (let i = Math.max(0, b * size - 1); i <= end; i++) {
          const v = voxels[row + i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        rowMin[b] = lo;
        rowMax[b] = hi;
      }
      for (const kb of kBlocks) {
        for (const jb of blocksReaching(j, size, bj)) {
          const base = (kb * bj + jb) * bi;
          for (let b = 0; b < bi; b++) {
            if (rowMin[b]! < min[base + b]!) min[base + b] = rowMin[b]!;
            if (rowMax[b]! > max[base + b]!) max[base + b] = rowMax[b]!;
          }
        }
      }
    }
  }
}

/** The blocks whose rim voxel index v lies in: its own, and a neighbour when v is at a block's edge. */
function blocksReaching(v: number, size: number, count: number): number[] {
  const own = Math.floor(v / size);
  const out = [own];
  if (v % size === 0 && own > 0) out.push(own - 1);
  if (v % size === size - 1 && own + 1 < count) out.push(own + 1);
  return out;
}
