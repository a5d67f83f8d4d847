import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { Rgba } from '../display/labelColours.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import type { ClipRange } from './clipRange.js';
import type { OrbitCamera } from './orbitCamera.js';
import type { RayGeometry } from './rayGeometry.js';
import { opacityUnitMm } from './opacityUnitMm.js';
import { canvasSizeOf, idleMs, reducedResolution, stepMmOf, type Quality } from './renderQuality.js';
import type { VolumePreset } from './volumePresets.js';
import { showReducedNote } from './reducedNote.js';
import type { Frame3d, VolumeRenderer3d } from './VolumeRenderer3d.js';

/** What the 3D view shows, apart from the camera. */
export interface Scene3d {
  readonly volume: LoadedVolume;
  readonly labels: LabelDisplay | null;
  readonly labelColours: readonly Rgba[] | null;
  readonly showLabels: boolean;
  readonly preset: VolumePreset;
  readonly voi: VoiWindow;
  readonly clip: ClipRange;
}

/** The last frame drawn, as published on the view's element. */
export interface FrameReport {
  readonly rendered: number;
  readonly quality: Quality;
  /** From the draw call to the GPU's fence, ms. */
  readonly frameMs: number;
  readonly width: number;
  readonly height: number;
  readonly rays: RayGeometry;
}

export type Load3dStatus =
  { readonly phase: 'loading'; readonly fraction: number } | { readonly phase: 'ready' } | { readonly phase: 'error'; readonly message: string };

/**
 * Runs the 3D view's frames: one frame on the GPU at a time (the latest
 * scene and camera are drawn when it is done), reduced quality while the user
 * interacts and full quality `idleMs` after, the volume sent to the GPU when
 * it changes. After each frame the element gets data-rendered (a counter),
 * data-quality, data-frame-ms, data-canvas ("w×h") and data-screen-from-index
 * (JSON, see RayGeometry.screenFromIndex); data-settled says whether the
 * picture is final (nothing drawing, queued, or waiting for an idle user).
 */
export class View3dController {
  private scene: Scene3d | null = null;
  private cameraNow: OrbitCamera;
  private quality: Quality = 'full';
  private css = { width: 1, height: 1, dpr: 1 };
  private scheduled = false;
  private inFlight = false;
  private dirty = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private rendered = 0;
  private last: FrameReport | null = null;
  /** The last full frame's ms per canvas pixel, to size reduced frames. */
  private fullMsPerPixel: number | null = null;
  private destroyed = false;
  private loading = false;

  constructor(
    readonly renderer: VolumeRenderer3d,
    private readonly element: HTMLElement,
    camera: OrbitCamera,
    private readonly onStatus: (status: Load3dStatus) => void,
    private readonly onFrame: (report: FrameReport) => void,
  ) {
    this.cameraNow = camera;
    // A controller restarted on the same element (after a WebGL context restore) goes on counting, so waiting for "a frame after n" still works.
    this.rendered = Number(element.dataset['rendered'] ?? 0) || 0;
    element.dataset['glRenderer'] = renderer.glRenderer;
  }

  get camera(): OrbitCamera {
    return this.cameraNow;
  }

  get lastFrame(): FrameReport | null {
    return this.last;
  }

  /** Shows a scene: a new volume is sent to the GPU first; changed labels (an edit) are drawn at reduced quality first, as a drag is. */
  setScene(scene: Scene3d): void {
    const previous = this.scene;
    this.scene = scene;
    if (previous?.volume !== scene.volume) return void this.loadVolume(scene.volume);
    if (previous.labels !== scene.labels && previous.labels !== null && scene.showLabels) this.interact();
    this.request();
  }

  /** Moves the camera; `interactive` draws at reduced quality until the user pauses. */
  setCamera(camera: OrbitCamera, interactive: boolean): void {
    this.cameraNow = camera;
    if (interactive) this.interact();
    this.request();
  }

  /** Follows the element's size (CSS px) and the device pixel ratio. */
  resize(width: number, height: number, dpr: number): void {
    this.css = { width: Math.max(1, width), height: Math.max(1, height), dpr };
    this.request();
  }

  /** mm per CSS px at the current zoom (for panning). */
  mmPerCssPixel(): number {
    const last = this.last;
    if (!last) return 1;
    return (last.rays.mmPerPixel * last.width) / this.css.width;
  }

  /**
   * Draws a frame at once and waits for it (blocking): for a PNG export at
   * full quality, and for timing. Returns the ms from draw to done.
   */
  renderNow(quality: Quality, camera = this.cameraNow): number {
    const frame = this.frameOf(quality, camera);
    if (!frame) return NaN;
    const start = performance.now();
    const rays = this.renderer.draw(frame);
    this.renderer.waitSync();
    const ms = performance.now() - start;
    if (rays) this.report({ rendered: ++this.rendered, quality, frameMs: ms, width: frame.width, height: frame.height, rays });
    return ms;
  }

  /** The picture at full quality as PNG bytes (drawn again first if the last frame was reduced). */
  async toPng(): Promise<Uint8Array<ArrayBuffer>> {
    if (!this.renderer.ready) throw new Error('the 3D view has not drawn yet');
    if (this.last?.quality !== 'full' || this.dirty) this.renderNow('full');
    return this.renderer.toPng();
  }

  destroy(): void {
    this.stop();
    this.renderer.destroy();
  }

  /** Stops drawing without touching the GPU: for a renderer whose WebGL context was lost and restored (see VolumeRenderer3d.abandon). */
  abandon(): void {
    this.stop();
    this.renderer.abandon();
  }

  private stop(): void {
    this.destroyed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private interact(): void {
    this.quality = 'reduced';
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.quality = 'full';
      this.request();
    }, idleMs);
    this.publishSettled();
  }

  private async loadVolume(volume: LoadedVolume): Promise<void> {
    this.onStatus({ phase: 'loading', fraction: 0 });
    showReducedNote(this.element, null);
    this.loading = true;
    this.publishSettled();
    try {
      const done = await this.renderer.setVolume(volume, (fraction) => this.onStatus({ phase: 'loading', fraction }));
      if (!done || this.destroyed) return;
      this.loading = false;
      showReducedNote(this.element, this.renderer.reduced);
      this.onStatus({ phase: 'ready' });
      this.request();
    } catch (error) {
      this.loading = false;
      this.onStatus({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private request(): void {
    this.dirty = true;
    if (!this.scheduled && !this.inFlight && !this.destroyed) {
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        void this.drawFrame();
      });
    }
    this.publishSettled();
  }

  /** data-settled: "true" once nothing is drawing, queued or waiting for the user to pause (the picture is final). */
  private publishSettled(): void {
    const settled = !this.dirty && !this.inFlight && !this.scheduled && this.idleTimer === null && !this.loading;
    this.element.dataset['settled'] = String(settled);
  }

  private async drawFrame(): Promise<void> {
    if (this.inFlight || this.destroyed || !this.dirty) return;
    const quality = this.quality;
    const frame = this.frameOf(quality, this.cameraNow);
    if (!frame) return;
    this.dirty = false;
    this.inFlight = true;
    const start = performance.now();
    const rays = this.renderer.draw(frame);
    await this.renderer.finished();
    const frameMs = performance.now() - start;
    this.inFlight = false;
    if (this.destroyed) return;
    if (rays) this.report({ rendered: ++this.rendered, quality, frameMs, width: frame.width, height: frame.height, rays });
    if (this.dirty) this.request();
    else this.publishSettled();
  }

  private frameOf(quality: Quality, camera: OrbitCamera): Frame3d | null {
    const scene = this.scene;
    if (!scene || !this.renderer.ready) return null;
    this.renderer.setLabels(scene.labels, scene.labelColours);
    const fullSize = canvasSizeOf(this.css.width, this.css.height, this.css.dpr, 1);
    const estimate = this.fullMsPerPixel === null ? null : this.fullMsPerPixel * fullSize.width * fullSize.height;
    const size = quality === 'full' ? fullSize : canvasSizeOf(this.css.width, this.css.height, this.css.dpr, reducedResolution(estimate));
    const { header } = scene.volume;
    // The grid on the GPU: a reduced one (too large for this GPU) is sampled at its own spacing.
    const stepMm = stepMmOf(quality, this.renderer.gridSpacing ?? header.spacing);
    return {
      camera,
      clip: scene.clip,
      preset: scene.preset,
      voi: scene.voi,
      showLabels: scene.showLabels && scene.labels !== null && scene.labelColours !== null,
      width: size.width,
      height: size.height,
      stepMm,
      opacityStep: stepMm / opacityUnitMm(header.dimensions, header.spacing),
    };
  }

  private report(report: FrameReport): void {
    this.last = report;
    if (report.quality === 'full') this.fullMsPerPixel = report.frameMs / (report.width * report.height);
    const data = this.element.dataset;
    data['quality'] = report.quality;
    data['frameMs'] = report.frameMs.toFixed(1);
    data['canvas'] = `${report.width}x${report.height}`;
    data['screenFromIndex'] = JSON.stringify(report.rays.screenFromIndex);
    data['rendered'] = String(report.rendered);
    this.onFrame(report);
  }
}
