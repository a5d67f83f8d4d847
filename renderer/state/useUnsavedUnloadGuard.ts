import { useEffect } from 'react';
import type { ViewerState } from './viewerState.js';

/** Whether the shown segmentation has changes main counts as unsaved, or changes still on their way to main. */
export function hasUnsavedEdits(state: ViewerState): boolean {
  const session = state.segmentation;
  return session !== null && (session.unsavedEdits > 0 || session.snapshot.revision !== session.statsRevision);
}

/**
 * Reloading or closing the page with unsaved edits asks first (the browser's
 * own "Leave page?" question: a page cannot put its own dialog in the way of
 * unloading). In the app, main asks before the window closes and ignores this
 * prompt; either way the recovery journal keeps the edits until they are
 * saved or discarded.
 */
export function useUnsavedUnloadGuard(state: { readonly current: ViewerState }): void {
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent): void => {
      if (!hasUnsavedEdits(state.current)) return;
      event.preventDefault();
      // Older Chromium asks only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, [state]);
}
