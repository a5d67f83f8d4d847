import type { CornerstoneImage } from 'cornerstone-core';
import { cutPlane } from '../geometry/cutPlane.js';
import { reslicePlane } from '../reslice/reslicePlane.js';
import { createSliceImage, type SliceGrid } from './createSliceImage.js';
import type { SliceScene } from './SliceScene.js';

/** A proposal's pixels on one view: 1 where it marks the voxel drawn there. */
export interface PreviewBuffers {
  readonly image: CornerstoneImage;
  readonly pixels: Uint8Array;
}

/** The preview layer's image for a grid: a two-entry labelmap (0 clear, 1 the preview colour). */
export function createPreviewImage(grid: SliceGrid): PreviewBuffers {
  const pixels = new Uint8Array(grid.rows * grid.columns);
  const image = createSliceImage({ ...grid, pixels, minPixelValue: 0, maxPixelValue: 1, slope: 1, intercept: 0, voi: { center: 1, width: 2 }, invert: false });
  image.labelmap = true;
  return { image, pixels };
}

/**
 * Fills the preview pixels for the scene's plane (cut on a standard plane,
 * nearest-neighbour resampled on a turned one) and returns how many are marked.
 */
export function fillPreview(scene: SliceScene, buffers: PreviewBuffers): number {
  const { pixels } = buffers;
  const mask = scene.preview?.mask;
  if (!mask) {
    pixels.fill(0);
    return 0;
  }
  if (scene.standard) cutPlane(mask, scene.axes, scene.slice, pixels);
  else reslicePlane({ voxels: mask, dimensions: scene.volume.header.dimensions }, scene.plane, { interpolation: 'nearest', background: 0 }, pixels);
  let count = 0;
  for (let n = 0; n < pixels.length; n++) {
    if (pixels[n] !== 0) {
      pixels[n] = 1;
      count++;
    }
  }
  return count;
}
