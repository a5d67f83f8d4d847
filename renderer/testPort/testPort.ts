import type { Vec3 } from '../../core/geometry/types.js';
import type { ViewName } from '../geometry/types.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { View3dController } from '../volume3d/View3dController.js';

/** What the viewer shows as a whole: the volume, the segmentation and the crosshair voxel (null without a volume). */
export interface ShownScene {
  readonly volumeId: string | null;
  readonly maskId: string | null;
  readonly cursor: Vec3 | null;
}

/**
 * Where the viewer reports what it has drawn, for the end-to-end tests and
 * the viewer benchmark. Product code only ever calls `testPort?.…(…)`. Each
 * call hands over the product's ordinary objects; what the tests read is
 * derived from them in the port's implementation, never in the product.
 */
export interface TestPort {
  /** The shown volume, segmentation or crosshair changed. */
  sceneShown(scene: ShownScene): void;
  /** A slice view finished a draw; `rendered` is its data-rendered count. */
  sliceDrawn(view: ViewName, renderer: SliceRenderer, rendered: number): void;
  /** A slice view went away. */
  sliceGone(view: ViewName): void;
  /** The 3D view started drawing through `controller`; returns what to call when it stops. */
  view3dStarted(controller: View3dController): () => void;
}

/**
 * The viewer's test port: none in the product. The test build
 * (vite.config.ts, mode 'test') resolves this module to
 * testAid/windowTestPort.ts instead, so no test aid reaches the app's bundle.
 */
export const testPort: TestPort | null = null;
