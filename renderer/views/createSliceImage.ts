import type { CornerstoneImage } from 'cornerstone-core';
import { outlineOffset } from '../display/labelColours.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

/** A slice's size and pixel spacing, shared by the image and its label layer. */
export interface SliceGrid {
  readonly rows: number;
  readonly columns: number;
  readonly rowPixelSpacing: number;
  readonly columnPixelSpacing: number;
}

export interface SliceImageParams extends SliceGrid {
  readonly pixels: NumericArray;
  readonly minPixelValue: number;
  readonly maxPixelValue: number;
  readonly slope: number;
  readonly intercept: number;
  readonly voi: VoiWindow;
  readonly invert: boolean;
}

/**
 * A cornerstone image over a reusable pixel buffer. The caller refills the
 * buffer and gives the image a new imageId before each draw, so cornerstone
 * renders it afresh yet keeps its cached lookup table: the min/max pixel
 * values are the whole volume's, the same for every slice.
 */
export function createSliceImage(p: SliceImageParams): CornerstoneImage {
  const pixels = p.pixels;
  return {
    imageId: 'axial-slice:0',
    minPixelValue: p.minPixelValue,
    maxPixelValue: p.maxPixelValue,
    slope: p.slope,
    intercept: p.intercept,
    windowCenter: p.voi.center,
    windowWidth: p.voi.width,
    getPixelData: () => pixels,
    rows: p.rows,
    columns: p.columns,
    height: p.rows,
    width: p.columns,
    color: false,
    invert: p.invert,
    columnPixelSpacing: p.columnPixelSpacing,
    rowPixelSpacing: p.rowPixelSpacing,
    sizeInBytes: pixels.byteLength,
  };
}

/**
 * The label layer's image: values 0…maxLabel are fills, maxLabel + 1… the
 * same labels' outline pixels (see markOutline), each its own colour-table entry.
 */
export function createLabelImage(maxLabel: number, grid: SliceGrid): { label: CornerstoneImage; labelPixels: Uint16Array | Uint32Array } {
  const entries = 2 * outlineOffset(maxLabel);
  const count = grid.rows * grid.columns;
  const labelPixels = entries > 65536 ? new Uint32Array(count) : new Uint16Array(count);
  const label = createSliceImage({
    ...grid,
    pixels: labelPixels,
    minPixelValue: 0,
    maxPixelValue: entries - 1,
    slope: 1,
    intercept: 0,
    voi: { center: entries / 2, width: entries },
    invert: false,
  });
  label.labelmap = true;
  return { label, labelPixels };
}
