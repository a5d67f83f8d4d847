import type { CornerstoneImage } from 'cornerstone-core';
import { outlineOffset } from '../display/labelColours.js';
import { markOutline } from '../display/markOutline.js';
import { quantiseInto } from '../data/storedPixels.js';
import { cutPlane } from '../geometry/cutPlane.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import { createLabelImage, createSliceImage, type SliceGrid } from './createSliceImage.js';
import { cutLabelLayers } from '../reslice/cutLabelLayers.js';
import { reslicePlane } from '../reslice/reslicePlane.js';
import { resliceLabelLayers } from '../reslice/resliceLabelLayers.js';
import type { SliceScene } from './SliceScene.js';
import { storeSamples } from '../reslice/storeSamples.js';

/** A view's pixel buffers and the cornerstone images over them, for one grid (plane size and pixel spacing). */
export interface SliceBuffers {
  readonly image: CornerstoneImage;
  readonly pixels: NumericArray;
  /** Float scratch: cut slices of quantised volumes, and every resampled plane or slab. */
  readonly scratch: Float64Array;
  /** Samples per pixel of a mean slab. */
  readonly counts: Uint16Array;
  readonly label: CornerstoneImage;
  readonly labelCut: Uint16Array;
  /** Scratch for cutting further label layers. */
  readonly layerCut: Uint16Array;
  readonly labelPixels: Uint16Array | Uint32Array;
}

const storageTypes = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array } as const;

/** The grid of a scene's plane, as cornerstone sizes its images. */
export function gridOf(scene: SliceScene): SliceGrid {
  const { rows, columns, rowSpacing, columnSpacing } = scene.plane;
  return { rows, columns, rowPixelSpacing: rowSpacing, columnPixelSpacing: columnSpacing };
}

/** Buffers and images for a scene's grid (allocated once per volume and grid, refilled for every slice). */
export function allocateSliceBuffers(scene: SliceScene): SliceBuffers {
  const grid = gridOf(scene);
  const count = grid.rows * grid.columns;
  const { format } = scene.volume;
  const pixels = new storageTypes[format.storage](count);
  const image = createSliceImage({
    ...grid,
    pixels,
    minPixelValue: format.minStored,
    maxPixelValue: format.maxStored,
    slope: format.slope,
    intercept: format.intercept,
    voi: scene.voi,
    invert: scene.volume.header.invertDisplay,
  });
  const { label, labelPixels } = createLabelImage(scene.labels?.maxCode ?? 1, grid);
  const scratch = new Float64Array(count);
  return { image, pixels, scratch, counts: new Uint16Array(count), label, labelCut: new Uint16Array(count), layerCut: new Uint16Array(count), labelPixels };
}

/**
 * Fills the image pixels: a standard one-sample view is cut straight from
 * the volume (cutPlane); a turned plane or a slab is resampled (trilinear,
 * max/min/mean across the slab) into float scratch, then stored.
 */
export function fillImage(scene: SliceScene, buffers: SliceBuffers): void {
  const { volume, plane, slab } = scene;
  const { pixels, scratch } = buffers;
  const count = plane.rows * plane.columns;
  if (scene.standard && slab.samples === 1) {
    if (volume.format.quantised) {
      cutPlane(volume.voxels, scene.axes, scene.slice, scratch);
      quantiseInto(scratch, count, volume.format, pixels);
    } else {
      cutPlane(volume.voxels, scene.axes, scene.slice, pixels);
    }
    return;
  }
  const options = { interpolation: 'linear', samples: slab.samples, mode: slab.mode, background: volume.header.range[0] } as const;
  reslicePlane({ voxels: volume.voxels, dimensions: volume.header.dimensions }, plane, options, scratch, buffers.counts);
  storeSamples(scratch, count, volume.format, pixels);
}

/**
 * Fills the label layer (display codes, outlines marked when asked): cut
 * from the label layers on a standard plane, resampled nearest-neighbour on
 * the same plane otherwise (a slab shows the labels of its middle plane).
 * Returns the buffers, with a new label image when the code range outgrew it.
 */
export function fillLabels(scene: SliceScene, buffers: SliceBuffers): SliceBuffers {
  const { labels, plane } = scene;
  let next = buffers;
  const needed = 2 * outlineOffset(labels?.maxCode ?? 1) - 1;
  if (buffers.label.maxPixelValue !== needed) next = { ...buffers, ...createLabelImage(labels?.maxCode ?? 1, gridOf(scene)) };
  const { labelPixels, labelCut, layerCut } = next;
  if (!labels) {
    labelPixels.fill(0);
    return next;
  }
  const out = scene.outline ? labelCut : labelPixels;
  if (scene.standard) cutLabelLayers(labels, scene.axes, scene.slice, out, layerCut);
  else resliceLabelLayers(labels, scene.volume.header.dimensions, plane, out, layerCut);
  if (scene.outline) markOutline(labelCut, plane.rows, plane.columns, outlineOffset(labels.maxCode), labelPixels);
  return next;
}
