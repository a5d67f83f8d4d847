import { cameraFrom, rotateCamera } from '../volume3d/orbitCamera.js';
import type { Quality } from '../volume3d/renderQuality.js';
import type { View3dController } from '../volume3d/View3dController.js';

/** `window.__axialView3d`: what end-to-end tests and the viewer benchmark read from the 3D view. */
export interface View3dTestAid {
  readonly glRenderer: string;
  /** 'r32f' or 'r16f' (null before the volume is on the GPU). */
  readonly textureFormat: 'r32f' | 'r16f' | null;
  /** The canvas's pixels as last drawn: RGBA, top row first, base64. */
  readImage(): { width: number; height: number; rgbaBase64: string; screenFromIndex: readonly (readonly number[])[] | null };
  /**
   * Draws one frame from the front turned by `turnDegrees` about the
   * vertical, at `quality`, and waits for it; resolves with its ms.
   */
  timeFrame(quality: Quality, turnDegrees: number): number;
  /** ms to read the whole canvas back (RGBA), the same canvas's cost without ray casting. */
  timeReadPixels(): number;
}

/** Installs the test aid for a controller on `target` (the page's window); returns its removal. */
export function installView3dTestAid(target: { __axialView3d?: View3dTestAid }, controller: View3dController): () => void {
  const aid: View3dTestAid = {
    glRenderer: controller.renderer.glRenderer,
    get textureFormat() {
      return controller.renderer.textureFormat;
    },
    readImage() {
      const { width, height, rgba } = controller.renderer.readPixels();
      let binary = '';
      for (let n = 0; n < rgba.length; n += 0x8000) binary += String.fromCharCode(...rgba.subarray(n, n + 0x8000));
      return { width, height, rgbaBase64: btoa(binary), screenFromIndex: controller.lastFrame?.rays.screenFromIndex ?? null };
    },
    timeFrame(quality, turnDegrees) {
      // rotateCamera turns by −dx · degreesPerPx; one "pixel" of 1° each.
      const camera = rotateCamera(cameraFrom('anterior'), -turnDegrees, 0, 1);
      return controller.renderNow(quality, camera);
    },
    timeReadPixels() {
      controller.renderer.waitSync();
      const start = performance.now();
      controller.renderer.readPixels();
      return performance.now() - start;
    },
  };
  target.__axialView3d = aid;
  return () => {
    if (target.__axialView3d === aid) delete target.__axialView3d;
  };
}
