import type { VoxelArray } from '../../volume/Volume.js';
import type { MosaicLayout } from './MosaicLayout.js';

/**
 * One slice of a decoded mosaic frame: tile `tile` of the grid, counted row-major from the
 * top-left, copied row by row into a new array of the frame's own type.
 * @param image one stored frame, Rows × Columns values (or raw cells) in row order.
 * @throws RangeError when `tile` is not below layout.count or the image is smaller than the layout.
 */
export function cutMosaicTile(image: VoxelArray, layout: MosaicLayout, tile: number): VoxelArray {
  const { tileRows, tileColumns, across, count } = layout;
  const columns = layout.format.columns;
  if (!Number.isInteger(tile) || tile < 0 || tile >= count) throw new RangeError(`tile ${tile} of a ${count}-slice mosaic`);
  if (image.length < columns * layout.format.rows) throw new RangeError(`a ${image.length}-value frame is smaller than the mosaic`);
  const top = Math.floor(tile / across) * tileRows;
  const left = (tile % across) * tileColumns;
  const out = image.slice(0, tileRows * tileColumns);
  for (let r = 0; r < tileRows; r++) {
    const start = (top + r) * columns + left;
    out.set(image.subarray(start, start + tileColumns), r * tileColumns);
  }
  return out;
}
