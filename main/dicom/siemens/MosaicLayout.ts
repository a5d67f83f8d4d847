import type { PixelFormat } from '../PixelFormat.js';

/**
 * How a Siemens mosaic image tiles its slices: `count` slices of tileRows × tileColumns laid out
 * row-major on a grid of `across` × `across` tiles, across = ceil(sqrt(count)), the rest of the
 * grid unused. A mosaic instance's frames are its tiles (frame f's tile t is frame f × count + t),
 * its pixelFormat that of one tile; `format` is the stored image's own, for reading its pixel data.
 */
export interface MosaicLayout {
  /** The pixel format of the stored (whole mosaic) image, with the file's NumberOfFrames. */
  readonly format: PixelFormat;
  /** NumberOfImagesInMosaic: slices per stored frame. */
  readonly count: number;
  /** Tiles per row and per column of the grid. */
  readonly across: number;
  readonly tileRows: number;
  readonly tileColumns: number;
}
