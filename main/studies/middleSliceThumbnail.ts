import type { VolumeProps } from '../volume/Volume.js';
import { thumbnailWindow } from './thumbnailWindow.js';

/** A small 8-bit grayscale picture, rows top to bottom. */
export interface Thumbnail {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** The longer side of a thumbnail, in pixels: the study list shows them at 48–96 px. */
export const thumbnailSide = 96;

/**
 * The middle axial slice of a volume as a small grayscale picture, in the radiological convention
 * (patient's right on the left, anterior at the top) however the volume is stored: the index axis
 * nearest the patient's S axis is the slice axis, the one nearest L runs left to right on screen and
 * the one nearest P top to bottom, each flipped when it points the other way. The longer side is
 * {@link thumbnailSide} pixels, the other in proportion to the slice's size in mm; pixels take the
 * nearest voxel (cheap, and equal to what a reader sees at that size), windowed as
 * {@link thumbnailWindow} chooses (`range`, the voxels' value range, lets it tell a NIfTI in HU).
 * Runs on the loader's worker, beside the voxels.
 */
export function middleSliceThumbnail(
  volume: Pick<VolumeProps, 'dimensions' | 'spacing' | 'direction' | 'voxels' | 'metadata'>,
  range?: readonly [number, number],
): Thumbnail | null {
  const { dimensions, spacing, direction, voxels } = volume;
  if (dimensions.some((d) => d < 1) || voxels.length < dimensions[0] * dimensions[1] * dimensions[2]) return null;
  const axes = screenAxes(direction);
  const sliceIndex = Math.floor(dimensions[axes.slice] / 2);
  const across = { axis: axes.column.axis, flip: axes.column.flip, count: dimensions[axes.column.axis] };
  const down = { axis: axes.row.axis, flip: axes.row.flip, count: dimensions[axes.row.axis] };
  const widthMm = across.count * spacing[across.axis];
  const heightMm = down.count * spacing[down.axis];
  const scale = thumbnailSide / Math.max(widthMm, heightMm, Number.MIN_VALUE);
  const width = Math.max(1, Math.min(thumbnailSide, Math.round(widthMm * scale)));
  const height = Math.max(1, Math.min(thumbnailSide, Math.round(heightMm * scale)));
  const strides = [1, dimensions[0], dimensions[0] * dimensions[1]] as const;
  const base = sliceIndex * strides[axes.slice];
  const indexOf = (n: number, size: number, count: number, flip: boolean): number => {
    const index = Math.min(count - 1, Math.floor(((n + 0.5) * count) / size));
    return flip ? count - 1 - index : index;
  };
  const columnOffsets = Int32Array.from({ length: width }, (_, x) => indexOf(x, width, across.count, across.flip) * strides[across.axis]);
  const rowOffsets = Int32Array.from({ length: height }, (_, y) => indexOf(y, height, down.count, down.flip) * strides[down.axis]);
  const { low, width: windowWidth } = thumbnailWindow(volume, { base, columnOffsets, rowOffsets }, range);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = voxels[base + rowOffsets[y]! + columnOffsets[x]!]!;
      pixels[y * width + x] = toByte(value, low, windowWidth);
    }
  }
  if (volume.metadata.invertDisplay) for (let n = 0; n < pixels.length; n++) pixels[n] = 255 - pixels[n]!;
  return { width, height, pixels };
}

/** A value through a window whose lower edge is `low`: 0 at or below it, 255 at or above `low + width`, linear between, rounded. */
export function toByte(value: number, low: number, width: number): number {
  const scaled = Math.round(((value - low) / width) * 255);
  return Number.isNaN(scaled) ? 0 : Math.max(0, Math.min(255, scaled));
}

interface ScreenAxis {
  readonly axis: 0 | 1 | 2;
  readonly flip: boolean;
}

/**
 * Which index axis is the slice axis (nearest S), and which run across (nearest L) and down (nearest P),
 * chosen greedily so that each index axis is used once.
 */
function screenAxes(direction: VolumeProps['direction']): { slice: 0 | 1 | 2; column: ScreenAxis; row: ScreenAxis } {
  const free = new Set<0 | 1 | 2>([0, 1, 2]);
  const nearest = (world: 0 | 1 | 2): ScreenAxis => {
    let best: 0 | 1 | 2 = [...free][0]!;
    for (const axis of free) if (Math.abs(direction[axis][world]) > Math.abs(direction[best][world])) best = axis;
    free.delete(best);
    return { axis: best, flip: direction[best][world] < 0 };
  };
  const slice = nearest(2).axis;
  const column = nearest(0);
  const row = nearest(1);
  return { slice, column, row };
}
