import { ApiCallError } from '../api/callApi.js';
import { loadBarDelayMs, type LoadProgress } from '../state/loadProgress.js';
import type { ViewerAction } from '../state/viewerState.js';

/** The code main answers a cancelled `volume:open` or `volume:load` with: the user's choice, never shown as an error. */
export const loadCancelledCode = 'LOAD_CANCELLED';

/** Whether a failure is a scan or load the user cancelled. */
export function isLoadCancelled(error: unknown): boolean {
  return error instanceof ApiCallError && error.code === loadCancelledCode;
}

/** Follows the one scan or load under way, for its progress bar and its Cancel. */
export interface LoadTracker {
  /**
   * Runs `step` as a scan or load: its progress shows (the bar after
   * loadBarDelayMs) until it ends. `cancelled` tells the step whether the
   * user chose Cancel, for work main cannot stop (fetching the voxels).
   * @throws ApiCallError LOAD_CANCELLED when the user cancelled it, even if main finished it; whatever `step` throws.
   */
  track<T>(phase: LoadProgress['phase'], step: (cancelled: () => boolean) => Promise<T>): Promise<T>;
  /** Marks the scan or load under way cancelled; false when there is none (or it is already cancelling). */
  cancel(): boolean;
}

/** A tracker that reports to the viewer's state through `dispatch`. */
export function createLoadTracker(dispatch: (action: ViewerAction) => void): LoadTracker {
  let current: { readonly id: number; cancelled: boolean } | null = null;
  let nextId = 1;
  return {
    async track(phase, step) {
      const run = { id: nextId++, cancelled: false };
      current = run;
      dispatch({ type: 'loadStarted', id: run.id, phase });
      const reveal = setTimeout(() => dispatch({ type: 'loadShown', id: run.id }), loadBarDelayMs);
      try {
        const value = await step(() => run.cancelled);
        if (run.cancelled) throw new ApiCallError(loadCancelledCode, 'cancelled by the user');
        return value;
      } finally {
        clearTimeout(reveal);
        if (current === run) current = null;
        dispatch({ type: 'loadEnded', id: run.id });
      }
    },
    cancel() {
      if (!current || current.cancelled) return false;
      current.cancelled = true;
      dispatch({ type: 'loadCancelling', id: current.id });
      return true;
    },
  };
}
