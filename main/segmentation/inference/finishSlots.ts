import { halfFloat } from './halfFloat.js';
import { HalfSumsOverflow } from './HalfSumsOverflow.js';

/** Where the band's slots lie: the padded plane and the image inside it. */
export interface SlotGeometry {
  readonly channels: number;
  /** The padded plane's size along i and j, and the padding before the image along each. */
  readonly padded: readonly [number, number];
  readonly padBefore: readonly [number, number];
  /** The image's size along i and j. */
  readonly image: readonly [number, number];
  readonly roiK: number;
}

/**
 * Moves `count` consecutive k slots of the band (laid out [channel][padded voxel][slot]) into `block`, planes
 * [slot][channel][image voxel] (its first count × channels × image voxels values), each sum divided by its voxel's
 * weight (`weights`, [slot][image voxel]), and clears those slots. One loop per store type keeps each
 * loop's reads of one kind (a loop that saw both ran at a third of the speed).
 * @throws HalfSumsOverflow when a half-precision sum is infinite.
 */
export function finishSlots(
  band: Float32Array | Uint16Array,
  weights: Float32Array,
  geometry: SlotGeometry,
  slot: number,
  count: number,
  block: Float32Array,
): Float32Array {
  if (band instanceof Uint16Array) finishHalf(band, weights, geometry, slot, count, block);
  else finishFloat(band, weights, geometry, slot, count, block);
  return block;
}

function finishFloat(band: Float32Array, weights: Float32Array, geometry: SlotGeometry, slot: number, count: number, block: Float32Array): void {
  const { channels, roiK } = geometry;
  const [pi, pj] = geometry.padded;
  const [bi, bj] = geometry.padBefore;
  const [ni, nj] = geometry.image;
  const area = ni * nj;
  const planeValues = channels * area;
  for (let c = 0; c < channels; c++) {
    for (let j = -bj; j < pj - bj; j++) {
      const rowInside = j >= 0 && j < nj;
      for (let i = -bi; i < pi - bi; i++) {
        const run = (c * pi * pj + i + bi + pi * (j + bj)) * roiK + slot;
        if (rowInside && i >= 0 && i < ni) {
          const v = i + ni * j;
          for (let b = 0; b < count; b++) block[b * planeValues + c * area + v] = band[run + b]! / weights[b * area + v]!;
        }
        for (let b = 0; b < count; b++) band[run + b] = 0;
      }
    }
  }
}

function finishHalf(band: Uint16Array, weights: Float32Array, geometry: SlotGeometry, slot: number, count: number, block: Float32Array): void {
  const { decode } = halfFloat;
  const { channels, roiK } = geometry;
  const [pi, pj] = geometry.padded;
  const [bi, bj] = geometry.padBefore;
  const [ni, nj] = geometry.image;
  const area = ni * nj;
  const planeValues = channels * area;
  for (let c = 0; c < channels; c++) {
    for (let j = -bj; j < pj - bj; j++) {
      const rowInside = j >= 0 && j < nj;
      for (let i = -bi; i < pi - bi; i++) {
        const run = (c * pi * pj + i + bi + pi * (j + bj)) * roiK + slot;
        if (rowInside && i >= 0 && i < ni) {
          const v = i + ni * j;
          for (let b = 0; b < count; b++) {
            const sum = decode[band[run + b]!]!;
            if (sum === Infinity || sum === -Infinity) throw new HalfSumsOverflow();
            block[b * planeValues + c * area + v] = sum / weights[b * area + v]!;
          }
        }
        for (let b = 0; b < count; b++) band[run + b] = 0;
      }
    }
  }
}
