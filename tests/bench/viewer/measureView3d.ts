import { performance } from 'node:perf_hooks';
import { launchViewer } from '../../e2e/pages/launchViewer.js';
import type { FrameRecord } from '../../e2e/pages/pageShapes.js';
import { swiftShaderArgs, View3dPage } from '../../e2e/pages/View3dPage.js';
import { measureScroll } from './measureScroll.js';

/** The 3D view's timings on one volume, each beside references from the same page. */
export interface View3dBench {
  readonly volume: string;
  readonly glRenderer: string;
  readonly textureFormat: string | null;
  /** The canvas at full and at reduced quality (its pixels). */
  readonly canvas: { readonly width: number; readonly height: number };
  readonly reducedCanvas: { readonly width: number; readonly height: number };
  /** From the click on Four views to the 3D view's first full frame (the volume sent to the GPU included), ms. */
  readonly readyMs: number;
  /** Frames turned 360°/n apart about the vertical from the front, bone preset, each drawn and waited for (ms). */
  readonly full: readonly number[];
  readonly reduced: readonly number[];
  /** gl.readPixels of the whole canvas, at full and at reduced size (ms): the same canvas without ray casting. */
  readonly readFull: readonly number[];
  readonly readReduced: readonly number[];
  /** ArrowUp/Down through the axial view in the same page, 3D view shown: the 2D slice's own work per frame. */
  readonly slices: readonly FrameRecord[];
}

/**
 * Opens `path` in a fresh Chromium with SwiftShader's WebGL2, shows the 3D
 * view beside the three 2D views (page 1400×900, as the rest of the
 * benchmark), and times `frames` rotated frames at each quality, readPixels
 * of the canvas, and `frames` axial slices.
 */
export async function measureView3d(path: string, volume: string, frames: number): Promise<View3dBench> {
  const session = await launchViewer({ extraArgs: swiftShaderArgs });
  try {
    await session.viewer.openScan(path, 'file');
    const view3d = new View3dPage(session.page, session.viewer);
    const start = performance.now();
    const shown = await view3d.show('four');
    const readyMs = performance.now() - start;
    // One of each first, so shader compilation is not timed.
    await view3d.timeFrames('full', 1);
    const full = await view3d.timeFrames('full', frames);
    const readFull = await view3d.timeReadPixels(frames);
    await view3d.timeFrames('reduced', 1);
    const reduced = await view3d.timeFrames('reduced', frames);
    const readReduced = await view3d.timeReadPixels(frames);
    const reducedCanvas = (await view3d.state()).canvas;
    await view3d.timeFrames('full', 1);
    const slices = await measureScroll(session, 'axial', 'key', frames);
    return {
      volume,
      glRenderer: shown.glRenderer,
      textureFormat: await view3d.textureFormat(),
      canvas: shown.canvas,
      reducedCanvas,
      readyMs,
      full,
      reduced,
      readFull,
      readReduced,
      slices,
    };
  } finally {
    await session.close();
  }
}
