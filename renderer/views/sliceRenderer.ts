import cornerstone, { type CornerstoneImage } from 'cornerstone-core';
import { cutPlane } from '../geometry/cutPlane.js';
import type { PlaneAxes } from '../geometry/planeAxes.js';
import { voxelToScreenMatrix } from '../geometry/screenMapping.js';
import type { NumericArray } from '../geometry/types.js';
import { outlineOffset, type Rgba } from '../display/labelColours.js';
import { markOutline } from '../display/markOutline.js';
import { quantiseInto, type StoredPixelFormat } from '../display/storedPixels.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { LoadedVolume } from '../state/loadedData.js';
import { createLabelImage, createSliceImage } from './createSliceImage.js';
import { cutLabelLayers } from './cutLabelLayers.js';

/** Everything one viewport shows; the renderer redoes only what changed since the last scene. */
export interface SliceScene {
  readonly volume: LoadedVolume;
  readonly axes: PlaneAxes;
  readonly slice: number;
  readonly voi: VoiWindow;
  /** The label layers to draw; a new object whenever a voxel changes. */
  readonly labels: LabelDisplay | null;
  /** The label colour table (see labelColours), by display code; a new array whenever a colour, visibility or the opacity changes. */
  readonly maskColours: readonly Rgba[] | null;
  readonly outline: boolean;
}

interface Buffers {
  readonly image: CornerstoneImage;
  readonly pixels: NumericArray;
  /** Float scratch for volumes quantised to 16 bits. */
  readonly scratch: Float64Array | null;
  readonly label: CornerstoneImage;
  readonly labelCut: Uint16Array;
  /** Scratch for cutting further label layers. */
  readonly layerCut: Uint16Array;
  readonly labelPixels: Uint16Array | Uint32Array;
}

const storageTypes = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array } as const;
let colormapCount = 0;

/**
 * One cornerstone-enabled element showing a slice of a volume, with the
 * label map as a second cornerstone layer (a labelmap colormap, so each
 * label value indexes its own RGBA). Buffers are allocated once per volume
 * and view, and refilled for every slice.
 */
export class SliceRenderer {
  private buffers: Buffers | null = null;
  private last: SliceScene | null = null;
  private imageLayerId: string | null = null;
  private labelLayerId: string | null = null;
  private drawCount = 0;
  private renderedCount = 0;
  private userAdjusted = false;
  private timing = { prepareMs: 0, drawMs: 0 };
  private readonly colormapId = `axial-labels-${++colormapCount}`;

  constructor(
    private readonly element: HTMLElement,
    private readonly onRendered: (rendered: number) => void,
  ) {
    cornerstone.enable(element);
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.handleRendered);
  }

  get canvas(): HTMLCanvasElement {
    return cornerstone.getEnabledElement(this.element).canvas;
  }

  get scene(): SliceScene | null {
    return this.last;
  }

  /** Shows a scene: recuts the slice and labels only when their inputs changed. */
  show(scene: SliceScene): void {
    const start = performance.now();
    const last = this.last;
    const newGrid = last === null || last.volume !== scene.volume || last.axes !== scene.axes;
    if (newGrid) this.allocate(scene);
    const buffers = this.buffers!;
    this.last = scene;
    const newSlice = newGrid || last.slice !== scene.slice;
    const newLabels = newSlice || last.labels !== scene.labels || last.outline !== scene.outline;
    const newColours = newGrid || last.maskColours !== scene.maskColours;
    if (newSlice) this.cutImage(scene, buffers);
    if (newLabels) this.cutLabels(scene, this.buffers!);
    if (newColours) this.applyColours(scene);
    const { image, label } = this.buffers!;
    if (!this.imageLayerId) {
      this.addLayers(scene, image, label);
    } else {
      if (newSlice) cornerstone.displayImage(this.element, image);
      if (newLabels) cornerstone.setLayerImage(this.element, label, this.labelLayerId!);
      const labelLayer = cornerstone.getLayer(this.element, this.labelLayerId!);
      if (labelLayer) labelLayer.options.visible = scene.labels !== null && scene.maskColours !== null;
    }
    cornerstone.setViewport(this.element, {
      voi: { windowCenter: scene.voi.center, windowWidth: scene.voi.width },
      invert: scene.volume.header.invertDisplay,
    });
    if (newGrid && last) this.resetView();
    // A changed colour table must reach cornerstone's cached label canvas.
    cornerstone.updateImage(this.element, newColours);
    this.timing.prepareMs = performance.now() - start;
  }

  /** Milliseconds the last scene took to cut and hand over (prepareMs) and cornerstone took to draw (drawMs). */
  get lastTiming(): { readonly prepareMs: number; readonly drawMs: number } {
    return { ...this.timing };
  }

  /** Fits the slice to the element again and centres it. */
  resetView(): void {
    if (!this.imageLayerId) return;
    this.userAdjusted = false;
    cornerstone.fitToWindow(this.element);
    cornerstone.setViewport(this.element, { translation: { x: 0, y: 0 } });
  }

  /** Multiplies the zoom. */
  zoomBy(factor: number): void {
    const viewport = cornerstone.getViewport(this.element);
    if (!viewport) return;
    this.userAdjusted = true;
    cornerstone.setViewport(this.element, { scale: Math.min(40, Math.max(0.05, viewport.scale * factor)) });
  }

  /** Moves the picture by a CSS-pixel offset. */
  panBy(dx: number, dy: number): void {
    const viewport = cornerstone.getViewport(this.element);
    if (!viewport) return;
    this.userAdjusted = true;
    const a = cornerstone.canvasToPixel(this.element, { x: 0, y: 0 });
    const b = cornerstone.canvasToPixel(this.element, { x: dx, y: dy });
    const translation = { x: viewport.translation.x + (b.x - a.x), y: viewport.translation.y + (b.y - a.y) };
    cornerstone.setViewport(this.element, { translation });
  }

  /** Follows the element's size; refits unless the user zoomed or panned. */
  resize(): void {
    cornerstone.resize(this.element, !this.userAdjusted);
  }

  /** Screen pixel (row, column) under a CSS-pixel point of the canvas, or null outside the slice. */
  pixelAt(x: number, y: number): { row: number; column: number } | null {
    if (!this.last) return null;
    const p = cornerstone.canvasToPixel(this.element, { x, y });
    const column = Math.floor(p.x);
    const row = Math.floor(p.y);
    const { rows, columns } = this.last.axes;
    return row >= 0 && row < rows && column >= 0 && column < columns ? { row, column } : null;
  }

  /** CSS-pixel position of a screen pixel's centre. */
  canvasPointOf(row: number, column: number): { x: number; y: number } {
    return cornerstone.pixelToCanvas(this.element, { x: column + 0.5, y: row + 0.5 });
  }

  /** [x, y] = M · [i, j, k, 1]: CSS pixels of a voxel centre, composed from the view's permutation and cornerstone's transform. */
  cssFromVoxel(): [number[], number[]] {
    const [mc, mr] = voxelToScreenMatrix(this.last!.axes);
    const o = this.canvasPointOf(0, 0);
    const ex = this.canvasPointOf(0, 1);
    const ey = this.canvasPointOf(1, 0);
    const row = (axis: 'x' | 'y'): number[] =>
      [0, 1, 2, 3].map((n) => (ex[axis] - o[axis]) * mc![n]! + (ey[axis] - o[axis]) * mr![n]! + (n === 3 ? o[axis] : 0));
    return [row('x'), row('y')];
  }

  /** The canvas as PNG bytes (image and mask, no crosshair). */
  async toPng(): Promise<Uint8Array<ArrayBuffer>> {
    const blob = await new Promise<Blob | null>((resolve) => this.canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the view could not be encoded as PNG');
    return new Uint8Array(await blob.arrayBuffer());
  }

  destroy(): void {
    this.element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.handleRendered);
    cornerstone.disable(this.element);
  }

  private readonly handleRendered = (event: Event): void => {
    this.renderedCount++;
    const detail = (event as CustomEvent<{ renderTimeInMs?: number }>).detail;
    this.timing.drawMs = detail?.renderTimeInMs ?? 0;
    const scene = this.last;
    if (scene) {
      this.element.dataset['slice'] = String(scene.slice);
      this.element.dataset['window'] = `${scene.voi.center},${scene.voi.width}`;
    }
    this.element.dataset['rendered'] = String(this.renderedCount);
    this.onRendered(this.renderedCount);
  };

  private allocate(scene: SliceScene): void {
    const { rows, columns, rowSpacing, columnSpacing } = scene.axes;
    const format: StoredPixelFormat = scene.volume.format;
    const pixels = new storageTypes[format.storage](rows * columns);
    const labelCut = new Uint16Array(rows * columns);
    const layerCut = new Uint16Array(rows * columns);
    const common = { rows, columns, rowPixelSpacing: rowSpacing, columnPixelSpacing: columnSpacing };
    const image = createSliceImage({
      ...common,
      pixels,
      minPixelValue: format.minStored,
      maxPixelValue: format.maxStored,
      slope: format.slope,
      intercept: format.intercept,
      voi: scene.voi,
      invert: scene.volume.header.invertDisplay,
    });
    const { label, labelPixels } = createLabelImage(scene.labels?.maxCode ?? 1, common);
    this.buffers = {
      image,
      pixels,
      scratch: format.quantised ? new Float64Array(rows * columns) : null,
      label,
      labelCut,
      layerCut,
      labelPixels,
    };
  }

  private cutImage(scene: SliceScene, buffers: Buffers): void {
    const { image, pixels, scratch } = buffers;
    if (scratch) {
      cutPlane(scene.volume.voxels, scene.axes, scene.slice, scratch);
      quantiseInto(scratch, pixels.length, scene.volume.format, pixels);
    } else {
      cutPlane(scene.volume.voxels, scene.axes, scene.slice, pixels);
    }
    image.imageId = `axial-slice:${++this.drawCount}`;
  }

  private cutLabels(scene: SliceScene, buffers: Buffers): void {
    let { label, labelPixels } = buffers;
    const { labels, axes } = scene;
    const needed = 2 * outlineOffset(labels?.maxCode ?? 1) - 1;
    if (label.maxPixelValue !== needed) {
      const common = { rows: axes.rows, columns: axes.columns, rowPixelSpacing: axes.rowSpacing, columnPixelSpacing: axes.columnSpacing };
      ({ label, labelPixels } = createLabelImage(labels?.maxCode ?? 1, common));
      this.buffers = { ...buffers, label, labelPixels };
    }
    if (!labels) {
      labelPixels.fill(0);
    } else if (scene.outline) {
      cutLabelLayers(labels, axes, scene.slice, buffers.labelCut, buffers.layerCut);
      markOutline(buffers.labelCut, axes.rows, axes.columns, outlineOffset(labels.maxCode), labelPixels);
    } else {
      cutLabelLayers(labels, axes, scene.slice, labelPixels, buffers.layerCut);
    }
    label.imageId = `axial-labels:${++this.drawCount}`;
  }

  private applyColours(scene: SliceScene): void {
    const table = scene.maskColours ?? [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    const colormap = cornerstone.colors.getColormap(this.colormapId, { name: this.colormapId, colors: [] });
    colormap.setNumberOfColors(table.length);
    table.forEach((rgba, n) => colormap.setColor(n, rgba));
  }

  private addLayers(scene: SliceScene, image: CornerstoneImage, label: CornerstoneImage): void {
    this.imageLayerId = cornerstone.addLayer(this.element, image, { name: 'image' });
    this.labelLayerId = cornerstone.addLayer(this.element, label, {
      name: 'labels',
      visible: scene.labels !== null && scene.maskColours !== null,
      viewport: { colormap: this.colormapId, labelmap: true, pixelReplication: true },
    });
    cornerstone.displayImage(this.element, image);
    // Both layers always share one grid, so their scales must stay equal;
    // cornerstone would otherwise derive the ratio from the scales it saw first.
    for (const layer of cornerstone.getLayers(this.element)) layer.syncProps = { originalScale: 1 };
  }
}
