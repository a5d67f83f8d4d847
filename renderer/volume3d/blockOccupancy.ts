import type { BlockRanges } from './blockRanges.js';
import type { TransferTable } from './transferTable.js';

/**
 * Which blocks a ray must sample (1) and which it may skip (0): a block is
 * needed when some value in its range has a non-zero opacity in the
 * transfer table (nearest entry; the range widened by 0.1 % for half-float
 * rounding), or when it holds a label that is shown.
 */
export function blockOccupancy(ranges: BlockRanges, table: TransferTable, labelBlocks: Uint8Array | null): Uint8Array {
  const { size, lo, hi, rgba } = table;
  // opaqueBefore[n]: how many of entries 0 … n − 1 are not transparent.
  const opaqueBefore = new Uint32Array(size + 1);
  for (let n = 0; n < size; n++) opaqueBefore[n + 1] = opaqueBefore[n]! + (rgba[n * 4 + 3]! > 0 ? 1 : 0);
  const entryOf = (v: number): number => Math.min(size - 1, Math.max(0, Math.round(((v - lo) / (hi - lo)) * (size - 1))));
  const slack = (v: number): number => Math.max(1, Math.abs(v)) * 1e-3;
  const out = new Uint8Array(ranges.min.length);
  for (let b = 0; b < out.length; b++) {
    if (labelBlocks?.[b]) {
      out[b] = 1;
      continue;
    }
    const min = ranges.min[b]!;
    const max = ranges.max[b]!;
    if (!(min <= max)) continue;
    const first = entryOf(min - slack(min));
    const last = entryOf(max + slack(max));
    out[b] = opaqueBefore[last + 1]! - opaqueBefore[first]! > 0 ? 1 : 0;
  }
  return out;
}

/** Per block (blockSize³, i fastest), whether any voxel in slices [kFrom, kTo) of its block rows holds a label; rewrites those block rows. */
export function markLabelBlocks(
  codes: Uint8Array | Uint16Array,
  ranges: Pick<BlockRanges, 'dims' | 'blockSize' | 'blocks'>,
  kFrom: number,
  kTo: number,
  out: Uint8Array,
): void {
  const { dims, blockSize: size, blocks } = ranges;
  const [ni, nj, nk] = dims;
  const [bi, bj] = blocks;
  const kbFrom = Math.floor(kFrom / size);
  const kbTo = Math.ceil(kTo / size);
  out.fill(0, kbFrom * bi * bj, kbTo * bi * bj);
  for (let k = kbFrom * size; k < Math.min(nk, kbTo * size); k++) {
    const kb = Math.floor(k / size);
    for (let j = 0; j < nj; j++) {
      const row = (k * nj + j) * ni;
      const base = (kb * bj + Math.floor(j / size)) * bi;
      for (let i = 0; i < ni; i++) if (codes[row + i] !== 0) out[base + Math.floor(i / size)] = 1;
    }
  }
}
