import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../core/geometry/types.js';
import { middleSliceThumbnail } from '../../../main/studies/middleSliceThumbnail.js';
import type { VolumeMetadata } from '../../../main/volume/Volume.js';

/** A volume whose voxel value encodes its LPS world position (x + 10·y + 100·z, in voxel steps of 1 mm from 0). */
function volumeOf(dimensions: Vec3, direction: Mat3, metadata: Partial<VolumeMetadata> = {}) {
  const [ni, nj, nk] = dimensions;
  const voxels = new Float32Array(ni * nj * nk);
  for (let k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++) {
        const world = [0, 1, 2].map((a) => i * direction[0][a]! + j * direction[1][a]! + k * direction[2][a]!);
        voxels[i + ni * (j + nj * k)] = world[0]! + 10 * world[1]! + 100 * world[2]!;
      }
  return {
    dimensions,
    spacing: [1, 1, 1] as Vec3,
    direction,
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1, ...metadata } as VolumeMetadata,
  };
}

/** Stored as LPS: i along x, j along y, k along z. */
const lpsAxes: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/** A window that maps the encoded values straight to bytes: centre 127.5, width 255 (value v gives round(v)). */
const identityWindow = { modality: 'CT', windowPresets: [{ center: 127.5, width: 255 }] };

describe('middleSliceThumbnail', () => {
  /** Pixel (px, py) of a 96×72 thumbnail of a 4×3 mm slice: the voxel column and row it samples. */
  const sampled = (px: number, py: number): [number, number] => [Math.floor(((px + 0.5) * 4) / 96), Math.floor(((py + 0.5) * 3) / 72)];

  it('draws the middle axial slice radiologically (patient right on the left, anterior on top) from an LPS-stored volume', () => {
    const thumb = middleSliceThumbnail(volumeOf([4, 3, 3], lpsAxes, identityWindow))!;
    expect([thumb.width, thumb.height]).toEqual([96, 72]);
    // The middle slice is z = 1: each pixel is x + 10y + 100 of the voxel it samples.
    for (let py = 0; py < 72; py++)
      for (let px = 0; px < 96; px++) {
        const [x, y] = sampled(px, py);
        expect(thumb.pixels[py * 96 + px]).toBe(x + 10 * y + 100);
      }
  });

  it('flips and swaps stored axes into the same picture', () => {
    const lps = middleSliceThumbnail(volumeOf([4, 3, 3], lpsAxes, identityWindow))!;
    // i along -y, j along -x: voxel (i, j, 1) lies at world (-j, -i, 1). Drawn radiologically, column c samples
    // j = 3 - c and row r samples i = 2 - r, so each pixel is the LPS one's voxel at world (c - 3, r - 2): 23 less.
    const swapped = middleSliceThumbnail(
      volumeOf(
        [3, 4, 3],
        [
          [0, -1, 0],
          [-1, 0, 0],
          [0, 0, 1],
        ],
        identityWindow,
      ),
    )!;
    expect([swapped.width, swapped.height]).toEqual([96, 72]);
    expect(Array.from(swapped.pixels)).toEqual(Array.from(lps.pixels, (v) => v - 23));
  });

  it('inverts MONOCHROME1 and gives null for an empty volume', () => {
    const thumb = middleSliceThumbnail(volumeOf([2, 2, 1], lpsAxes, { ...identityWindow, invertDisplay: true }))!;
    expect(thumb.pixels[0]).toBe(255);
    expect(middleSliceThumbnail(volumeOf([0, 2, 1], lpsAxes))).toBeNull();
  });

  /** A 4×4×1 slice of the given voxel values, opened as a scan (no modality, no file window). */
  const sliceOf = (values: readonly number[]) => ({ ...volumeOf([4, 4, 1], lpsAxes), voxels: Float32Array.from(values) });
  const greyOf = (values: readonly number[]): Map<number, number> => {
    const thumb = middleSliceThumbnail(sliceOf(values))!;
    const grey = new Map<number, number>();
    // 96×96 thumbnail of a 4×4 slice: pixel (12 + 24x, 12 + 24y) samples voxel (x, y).
    values.forEach((v, n) => grey.set(v, thumb.pixels[(12 + 24 * Math.floor(n / 4)) * 96 + 12 + 24 * (n % 4)]!));
    return grey;
  };

  it('draws a mask whose non-zero voxels share one value white, not black like the background', () => {
    expect([...greyOf([0, 0, 0, 0, 0, 7, 7, 0, 0, 7, 7, 0, 0, 0, 0, 0])]).toEqual([
      [0, 0],
      [7, 255],
    ]);
  });

  it('draws a label map 0..3 with label 1 a third of the way to white, above the background', () => {
    expect([...greyOf([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 85],
      [2, 170],
      [3, 255],
    ]);
  });

  it("keeps an MR-like ramp's window: its 0.5 % value black, its 99.5 % white", () => {
    const ramp = Array.from({ length: 16 }, (_, n) => (n === 0 ? 0 : 100 + n * 37.5));
    const grey = greyOf(ramp);
    expect(grey.get(137.5)).toBe(0);
    expect(grey.get(662.5)).toBe(255);
    expect(grey.get(400)).toBe(Math.round(((400 - 137.5) / 525) * 255));
  });
});
