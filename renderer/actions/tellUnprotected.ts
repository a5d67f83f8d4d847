import { withDetails } from '../display/statusDetails.js';
import type { ViewerAction } from '../state/viewerState.js';

/** Said when main keeps an edit it could not write to the recovery journal (a full disk, say). */
const unprotectedMessage =
  'Your edits are kept, but a crash now would lose them: the recovery file cannot be written. Save the segmentation to keep them safe.';

/** Tells the user, in plain words, that main kept an edit but could not journal it; `why` goes behind the status line's Details. */
export function tellUnprotected(dispatch: (action: ViewerAction) => void, why: string): void {
  dispatch({ type: 'error', message: unprotectedMessage });
  dispatch({ type: 'status', message: withDetails('Edits not protected against a crash', [why]) });
}
