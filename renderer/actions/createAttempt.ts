import { describeError } from '../api/callApi.js';
import { withDetails } from '../display/statusDetails.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { ViewerAction } from '../state/viewerState.js';

/** Runs one async step of a user action against main. */
export type Attempt = (what: string, step: (api: DesktopApi) => Promise<void>) => void;

/**
 * Runs async steps, turning any failure into a sentence for the user's error
 * banner: `what` failed, then the reason (never a stack; main's own words
 * behind the banner's Details, see describeError).
 */
export function createAttempt(api: DesktopApi | null, dispatch: (action: ViewerAction) => void): Attempt {
  return (what, step) => {
    if (!api) {
      dispatch({ type: 'error', message: withDetails(`${what}: the viewer is not connected to Axial.`, ['window.axial is missing']) });
      return;
    }
    step(api).catch((error: unknown) => dispatch({ type: 'error', message: describeError(what, error) }));
  };
}
