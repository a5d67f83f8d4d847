import type { TestPort } from '../testPort/testPort.js';
import { installView3dTestAid, type View3dTestAid } from './view3dTestAid.js';
import { viewportTestStateOf } from './viewportTestStateOf.js';
import { createViewStatePublisher, type AxialViewState } from './viewStateForTests.js';

/** The globals the test build writes on the page's window; the product declares none of them. */
interface TestAidWindow {
  __axialViewState?: AxialViewState;
  __axialView3d?: View3dTestAid;
}

const target = window as TestAidWindow;
const viewState = createViewStatePublisher(target);

/**
 * The test build's port (vite.config.ts, mode 'test', resolves
 * testPort/testPort.ts to this module): publishes what the views drew on
 * `window.__axialViewState` and the 3D view's aid on `window.__axialView3d`.
 */
export const testPort: TestPort = {
  sceneShown(scene) {
    viewState.setScene(scene);
  },
  sliceDrawn(view, renderer, rendered) {
    const state = viewportTestStateOf(view, renderer, rendered);
    if (state) viewState.setViewport(view, state);
  },
  sliceGone(view) {
    viewState.setViewport(view, null);
  },
  view3dStarted(controller) {
    return installView3dTestAid(target, controller);
  },
};
