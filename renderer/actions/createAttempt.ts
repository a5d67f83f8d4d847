import { describeError } from '../api/callApi.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { ViewerAction } from '../state/viewerState.js';

/** Runs one async step of a user action against main. */
export type Attempt = (what: string, step: (api: DesktopApi) => Promise<void>) => void;

/**
 * Runs async steps, turning any failure into a sentence for the user's error
 * banner: `what` failed, then the reason's first line (never a stack).
 */
export function createAttempt(api: DesktopApi | null, dispatch: (action: ViewerAction) => void): Attempt {
  return (what, step) => {
    if (!api) {
      dispatch({ type: 'error', message: `${what}: the viewer is not connected to Axial (window.axial is missing).` });
      return;
    }
    step(api).catch((error: unknown) => dispatch({ type: 'error', message: describeError(what, error) }));
  };
}
