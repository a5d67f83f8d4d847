import type { AxialApi } from '../../core/contract.js';
import { ApiCallError, unwrap } from '../api/callApi.js';
import type { LeaveReason, PromptStore } from '../state/createPromptStore.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';

export interface LeaveContext {
  readonly api: Pick<AxialApi, 'mask:status' | 'mask:save' | 'mask:discard'>;
  readonly state: { readonly current: ViewerState };
  readonly dispatch: (action: ViewerAction) => void;
  readonly prompt: PromptStore;
}

/** How leaving went: false stays (Cancel, a cancelled save dialog, a save that could not hold every edit); otherwise why it may go. */
export type LeaveOutcome = false | 'nothing-unsaved' | 'saved' | 'discarded';

/**
 * Before the shown segmentation is replaced (another scan, other labels, a
 * model's result as a new segmentation): when main counts unsaved edits, asks
 * Save / Discard / Cancel. Resolves truthy when it may go: nothing unsaved,
 * saved (main's save dialog, NIfTI by default), or discarded (with its
 * journal; a caller whose replacement then fails must journal it again). False
 * keeps everything as it was: Cancel, a save dialog the user cancelled, or a
 * label map that could not hold every edit (overlapping segments: the file is
 * written, the edits stay unsaved and journaled, and the user is told).
 * @throws ApiCallError when saving or discarding fails (the caller reports it; nothing is replaced)
 */
export async function confirmLeave(context: LeaveContext, reason: LeaveReason): Promise<LeaveOutcome> {
  const { api, state, dispatch, prompt } = context;
  const session = state.current.segmentation;
  if (!session) return 'nothing-unsaved';
  // Main must have every change before its count means anything.
  await session.synced();
  const { maskId } = session;
  let status;
  try {
    status = await unwrap(api['mask:status']({ maskId }));
  } catch (error) {
    // Main no longer holds it (closed to free memory): nothing there to save, and its journal stays on disk.
    if (error instanceof ApiCallError && error.code === 'UNKNOWN_ID') return 'nothing-unsaved';
    throw error;
  }
  if (status.unsavedEdits === 0) return 'nothing-unsaved';
  const choice = await prompt.ask({ kind: 'unsaved', name: status.name, edits: status.unsavedEdits, result: status.unsavedResult, reason });
  if (choice === 'cancel') return false;
  if (choice === 'discard') {
    await unwrap(api['mask:discard']({ maskId }));
    dispatch({ type: 'segmentationSaved', maskId });
    return 'discarded';
  }
  const saved = await unwrap(api['mask:save']({ maskId }));
  if (!saved.saved) return false;
  const warnings = saved.warnings?.length ? ` (${saved.warnings.join('; ')})` : '';
  if (saved.complete === false) {
    const file = saved.fileName ?? status.name;
    dispatch({
      type: 'error',
      message: `${file} was written, but it cannot hold every segment${warnings}, so the edits are kept as unsaved (reopening the scan offers them again).`,
    });
    return false;
  }
  dispatch({ type: 'segmentationSaved', maskId });
  dispatch({ type: 'status', message: `Saved ${saved.fileName ?? status.name}${warnings}` });
  return 'saved';
}
