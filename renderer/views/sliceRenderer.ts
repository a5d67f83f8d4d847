import cornerstone, { type CornerstoneImage } from 'cornerstone-core';
import { indexToPixel, type ViewPlane } from '../geometry/ViewPlane.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { createPreviewImage, fillPreview, type PreviewBuffers } from './previewLayer.js';
import { allocateSliceBuffers, fillImage, fillLabels, gridOf, type SliceBuffers } from './sliceBuffers.js';
import type { SliceScene } from './SliceScene.js';
import { isSameSeries } from '../data/isSameSeries.js';
import type { StoredPixelFormat } from '../data/storedPixels.js';

let colormapCount = 0;

/**
 * One cornerstone-enabled element showing a plane of a volume, with the
 * label map as a second cornerstone layer (a labelmap colormap, so each
 * label value indexes its own RGBA). Buffers are allocated once per volume
 * and grid, and refilled for every plane.
 */
export class SliceRenderer {
  private buffers: SliceBuffers | null = null;
  private last: SliceScene | null = null;
  private imageLayerId: string | null = null;
  private labelLayerId: string | null = null;
  private preview: PreviewBuffers | null = null;
  private previewLayerId: string | null = null;
  private previewPixels = 0;
  private drawCount = 0;
  private renderedCount = 0;
  private userAdjusted = false;
  private timing = { prepareMs: 0, drawMs: 0 };
  private readonly colormapId = `axial-labels-${++colormapCount}`;
  private readonly previewColormapId = `axial-preview-${colormapCount}`;

  constructor(
    private readonly element: HTMLElement,
    private readonly onRendered: (rendered: number) => void,
  ) {
    cornerstone.enable(element);
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.handleRendered);
  }

  /** The slice this view last drew (its element's data-slice), as text; undefined before its first picture. */
  get drawnSlice(): string | undefined {
    return this.element.dataset['slice'];
  }

  get canvas(): HTMLCanvasElement {
    return cornerstone.getEnabledElement(this.element).canvas;
  }

  get scene(): SliceScene | null {
    return this.last;
  }

  /** Shows a scene: refills the image and labels only when their inputs changed. */
  show(scene: SliceScene): void {
    const start = performance.now();
    const last = this.last;
    // Another time point of the shown series is new voxels on the same grid: the user's zoom and pan stay.
    const newVolume = last === null || (last.volume !== scene.volume && !isSameSeries(last.volume, scene.volume));
    const newGrid = newVolume || !sameGrid(last.plane, scene.plane);
    // Keep the crosshair where it was on screen, at the same mm per CSS pixel, across a change of grid.
    const anchor = newGrid && !newVolume && this.imageLayerId ? this.anchorOf(last.plane, scene.pivot) : null;
    // A time point's stored-pixel format follows its own value range: its images need buffers of that format.
    const newBuffers = newGrid || !sameFormat(last.volume.format, scene.volume.format);
    if (newBuffers) this.buffers = allocateSliceBuffers(scene);
    if (newGrid) this.preview = createPreviewImage(gridOf(scene));
    this.last = scene;
    const newImage =
      newBuffers ||
      last.volume !== scene.volume ||
      last.plane !== scene.plane ||
      last.standard !== scene.standard ||
      last.slab.samples !== scene.slab.samples ||
      last.slab.mode !== scene.slab.mode;
    const newLabels = newBuffers || last.plane !== scene.plane || last.labels !== scene.labels || last.outline !== scene.outline;
    const newColours = newGrid || last.maskColours !== scene.maskColours;
    const newPreview = newGrid || last.plane !== scene.plane || last.preview !== scene.preview;
    if (newImage) {
      fillImage(scene, this.buffers!);
      this.buffers!.image.imageId = `axial-slice:${++this.drawCount}`;
    }
    if (newLabels) {
      this.buffers = fillLabels(scene, this.buffers!);
      this.buffers.label.imageId = `axial-labels:${++this.drawCount}`;
    }
    if (newPreview) {
      this.previewPixels = fillPreview(scene, this.preview!);
      this.preview!.image.imageId = `axial-preview:${++this.drawCount}`;
      if (scene.preview || newGrid) this.applyPreviewColour(scene.preview?.colour ?? [255, 255, 255]);
    }
    if (newColours) this.applyColours(scene);
    const { image, label } = this.buffers!;
    if (!this.imageLayerId) {
      this.addLayers(scene, image, label);
    } else {
      if (newImage) cornerstone.displayImage(this.element, image);
      if (newLabels) cornerstone.setLayerImage(this.element, label, this.labelLayerId!);
      const labelLayer = cornerstone.getLayer(this.element, this.labelLayerId!);
      if (labelLayer) labelLayer.options.visible = scene.labels !== null && scene.maskColours !== null;
      if (newPreview) cornerstone.setLayerImage(this.element, this.preview!.image, this.previewLayerId!);
      const previewLayer = cornerstone.getLayer(this.element, this.previewLayerId!);
      if (previewLayer) previewLayer.options.visible = scene.preview !== null;
    }
    cornerstone.setViewport(this.element, {
      voi: { windowCenter: scene.voi.center, windowWidth: scene.voi.width },
      invert: scene.volume.header.invertDisplay,
    });
    if (anchor) this.restoreAnchor(scene, anchor);
    else if (newGrid && last) this.resetView();
    // A changed colour table must reach cornerstone's cached label canvas.
    cornerstone.updateImage(this.element, newColours || (newPreview && scene.preview !== null));
    this.timing.prepareMs = performance.now() - start;
  }

  /** Milliseconds the last scene took to fill and hand over (prepareMs) and cornerstone took to draw (drawMs). */
  get lastTiming(): { readonly prepareMs: number; readonly drawMs: number } {
    return { ...this.timing };
  }

  /** Fits the plane to the element again and centres it. */
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

  /** Screen pixel (row, column) under a CSS-pixel point of the canvas, or null outside the plane. */
  pixelAt(x: number, y: number): { row: number; column: number } | null {
    if (!this.last) return null;
    const p = this.pixelFromCss(x, y);
    const column = Math.round(p.column);
    const row = Math.round(p.row);
    const { rows, columns } = this.last.plane;
    return row >= 0 && row < rows && column >= 0 && column < columns ? { row, column } : null;
  }

  /** Continuous pixel position (centres at integers) under a CSS-pixel point of the canvas. */
  pixelFromCss(x: number, y: number): { row: number; column: number } {
    const p = cornerstone.canvasToPixel(this.element, { x, y });
    return { row: p.y - 0.5, column: p.x - 0.5 };
  }

  /** CSS-pixel position of a (continuous) pixel position, centres at integers. */
  canvasPointOf(row: number, column: number): { x: number; y: number } {
    return cornerstone.pixelToCanvas(this.element, { x: column + 0.5, y: row + 0.5 });
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
      this.element.dataset['oblique'] = String(!scene.standard);
      this.element.dataset['slab'] = scene.slab.samples > 1 ? `${scene.slab.mode},${scene.slab.samples}` : '';
      this.element.dataset['previewPixels'] = String(this.previewPixels);
    }
    this.element.dataset['rendered'] = String(this.renderedCount);
    this.onRendered(this.renderedCount);
  };

  /** The CSS point of a voxel index projected onto the plane drawn now, and that plane's mm scale. */
  private anchorOf(plane: ViewPlane, pivot: Vec3): { x: number; y: number; cssPerMm: number } {
    const at = indexToPixel(plane, pivot);
    const p = this.canvasPointOf(at.row, at.column);
    return { ...p, cssPerMm: this.cssPerColumn() / plane.columnSpacing };
  }

  /** Scales and pans the new grid so that the pivot lands where it was, at the mm scale it had. */
  private restoreAnchor(scene: SliceScene, anchor: { x: number; y: number; cssPerMm: number }): void {
    const viewport = cornerstone.getViewport(this.element);
    const cssPerMm = this.cssPerColumn() / scene.plane.columnSpacing;
    if (!viewport || !(cssPerMm > 0)) return;
    cornerstone.setViewport(this.element, { scale: viewport.scale * (anchor.cssPerMm / cssPerMm) });
    const at = indexToPixel(scene.plane, scene.pivot);
    const now = this.canvasPointOf(at.row, at.column);
    const perRow = Math.abs(this.canvasPointOf(1, 0).y - this.canvasPointOf(0, 0).y);
    const { translation } = cornerstone.getViewport(this.element)!;
    cornerstone.setViewport(this.element, {
      translation: { x: translation.x + (anchor.x - now.x) / this.cssPerColumn(), y: translation.y + (anchor.y - now.y) / perRow },
    });
  }

  private cssPerColumn(): number {
    return Math.abs(this.canvasPointOf(0, 1).x - this.canvasPointOf(0, 0).x);
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

  /** The preview layer's two colours: clear, and the proposal's colour (mostly opaque, so it reads over the labels). */
  private applyPreviewColour(colour: readonly [number, number, number]): void {
    const colormap = cornerstone.colors.getColormap(this.previewColormapId, { name: this.previewColormapId, colors: [] });
    colormap.setNumberOfColors(2);
    colormap.setColor(0, [0, 0, 0, 0]);
    colormap.setColor(1, [colour[0], colour[1], colour[2], 170]);
  }

  private addLayers(scene: SliceScene, image: CornerstoneImage, label: CornerstoneImage): void {
    this.imageLayerId = cornerstone.addLayer(this.element, image, { name: 'image' });
    this.labelLayerId = cornerstone.addLayer(this.element, label, {
      name: 'labels',
      visible: scene.labels !== null && scene.maskColours !== null,
      viewport: { colormap: this.colormapId, labelmap: true, pixelReplication: true },
    });
    this.previewLayerId = cornerstone.addLayer(this.element, this.preview!.image, {
      name: 'preview',
      visible: scene.preview !== null,
      viewport: { colormap: this.previewColormapId, labelmap: true, pixelReplication: true },
    });
    cornerstone.displayImage(this.element, image);
    // All layers always share one grid, so their scales must stay equal;
    // cornerstone would otherwise derive the ratio from the scales it saw first.
    for (const layer of cornerstone.getLayers(this.element)) layer.syncProps = { originalScale: 1 };
  }
}

/** Whether two volumes' voxels become the same stored pixels (their slice images can be reused). */
function sameFormat(a: StoredPixelFormat, b: StoredPixelFormat): boolean {
  return (Object.keys(a) as (keyof StoredPixelFormat)[]).every((key) => a[key] === b[key]);
}

/** Whether two planes share a grid: size and pixel spacing (their images can be reused). */
function sameGrid(a: ViewPlane, b: ViewPlane): boolean {
  return a.rows === b.rows && a.columns === b.columns && a.rowSpacing === b.rowSpacing && a.columnSpacing === b.columnSpacing;
}
