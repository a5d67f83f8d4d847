import type { AxialApi, MaskHeader } from '../../core/contract.js';
import { ApiCallError, describeError, unwrap } from '../api/callApi.js';
import { loadMask } from '../data/loadData.js';
import type { SegmentationStore } from '../segmentation/types.js';
import { confirmLeave, type LeaveContext, type LeaveOutcome } from './confirmLeave.js';
import { segmentDefOf } from './startSegmentationSession.js';
import { formatSeconds, providerDetail, splitStatus, withDetails } from '../display/statusDetails.js';
import { plural } from '../display/plural.js';
import { isSameSeries } from '../data/isSameSeries.js';
import type { JobState } from '../state/viewerState.js';
import { tellUnprotected } from './tellUnprotected.js';

export type ModelRunApi = Pick<AxialApi, 'on' | 'mask:close' | 'mask:keep' | 'mask:status' | 'mask:save' | 'mask:discard'>;

export interface FollowContext extends LeaveContext {
  readonly api: ModelRunApi;
  /** Shows a segmentation as the one being edited (a new store). */
  readonly showMask: (header: MaskHeader, status: string) => Promise<SegmentationStore | null>;
}

type Finished = MaskHeader & { readonly provider: string; readonly seconds: number };

/**
 * Follows the running model: progress into the state, and the result, once
 * done, where the user chose in the run control: appended to the open
 * segmentation (new segments, one undo step), or shown as a segmentation of
 * its own (after asking about the open one's unsaved edits, made while the
 * model ran). Returns the function that stops following.
 */
export function followModelRuns(context: FollowContext): () => void {
  const { api, dispatch, state } = context;
  const offProgress = api.on('segmentation:progress', (progress) => dispatch({ type: 'jobProgress', progress }));
  const offDone = api.on('segmentation:done', ({ jobId, result }) => {
    const job = state.current.job;
    if (job?.jobId !== jobId) return;
    if (!result.ok) {
      dispatch({ type: 'jobEnded' });
      if (job.cancelling) dispatch({ type: 'status', message: 'Model run cancelled' });
      else dispatch({ type: 'error', message: describeError('The model run failed', new ApiCallError(result.error.code, result.error.message)) });
      return;
    }
    dispatch({ type: 'jobFinishing' });
    placeResult(context, job, result.value)
      .catch((error: unknown) => dispatch({ type: 'error', message: describeError('Could not show the model result', error) }))
      .finally(() => dispatch({ type: 'jobEnded' }));
  });
  return () => {
    offProgress();
    offDone();
  };
}

async function placeResult(context: FollowContext, job: JobState, result: Finished): Promise<void> {
  const { api, dispatch, state } = context;
  // The time for everyone; the provider it ran on for the curious, behind Details.
  const timing = formatSeconds(result.seconds);
  const ranOn = providerDetail(result.provider, result.seconds);
  // Each time point of a 4D series has its own volumeId: a result for time point 0 that ends
  // while time point 2 is shown is still for the shown series (same grid), and is kept.
  const forShownScan = (): boolean => {
    const shown = state.current.volume;
    return shown?.header.volumeId === result.volumeId || isSameSeries(job.volume, shown);
  };
  /** The result is not shown: main's copy of it is let go, and the user told. */
  const setAside = async (message: string): Promise<void> => {
    await unwrap(api['mask:close']({ maskId: result.maskId }));
    dispatch({ type: 'status', message });
  };
  const otherScan = "The model's result was for another scan and was set aside";
  const noRoom = "The model's result was not added: this segmentation has no room for more label layers. Save it, then run the model on a new one";
  // Asked first: a question about the shown scan's segmentation would be for nothing.
  if (!forShownScan()) return setAside(otherScan);
  if (job.into.kind === 'append' && state.current.segmentation?.maskId === job.into.maskId) {
    const { layers } = await loadMask(result, state.current.volume!.header);
    // Read again after the wait: the scan or the shown segmentation may have changed meanwhile.
    if (!forShownScan()) return setAside(otherScan);
    const session = state.current.segmentation;
    if (session?.maskId === job.into.maskId) {
      const before = session.store.getSnapshot().segments.length;
      try {
        session.store.update({ type: 'appendSegments', layers, segments: result.segments.map(segmentDefOf) });
      } catch (error) {
        // Past the label budget (or otherwise refused): main's copy is let go as well, and the user told what to do.
        const why = error instanceof Error ? error.message : String(error);
        return setAside(withDetails(noRoom, [why]));
      }
      // Segments the model left empty are not added: count those that were.
      const count = session.store.getSnapshot().segments.length - before;
      // The store has the result now; main's copy of it alone is no longer needed.
      await unwrap(api['mask:close']({ maskId: result.maskId }));
      const message =
        count > 0 ? `Added ${plural(count, 'segment')} from the model in ${timing}; Undo takes them out again` : `The model found nothing to add (${timing})`;
      dispatch({ type: 'status', message: withDetails(message, [ranOn, ...result.warnings]) });
      return;
    }
  }
  let leave: LeaveOutcome;
  try {
    leave = await confirmLeave(context, 'model-result');
  } catch (error) {
    // Saving (or discarding) the shown segmentation failed: it stays, and the result is set aside.
    await unwrap(api['mask:close']({ maskId: result.maskId })).catch(() => undefined);
    // On the first line, which the banner shows: main's own words (the rest) go behind Details.
    const { message, details } = splitStatus(describeError('Could not save the segmentation', error));
    dispatch({ type: 'error', message: withDetails(`${message.replace(/\.+$/, '')}. The model's result was set aside; run the model again for it.`, details) });
    return;
  }
  if (!leave) return setAside("The model's result was set aside; your segmentation is as it was");
  // Shown on the time point now on screen (main knows the mask by its maskId); on the new one if the time point
  // changed while its labels were fetched.
  const isShown = (): boolean => state.current.segmentation?.maskId === result.maskId;
  try {
    for (let tries = 0; tries < 5 && forShownScan() && !isShown(); tries++) {
      await context.showMask({ ...result, volumeId: state.current.volume!.header.volumeId }, withDetails(`Segmented in ${timing}`, [ranOn]));
    }
  } catch (error) {
    await api['mask:close']({ maskId: result.maskId }).catch(() => undefined);
    throw error;
  }
  if (!isShown()) return setAside(forShownScan() ? "The model's result could not be shown while the time points kept changing, and was set aside" : otherScan);
  await keepShownResult(context, result.maskId);
}

/**
 * A result on screen as a segmentation of its own is work the user waited for: main counts it unsaved and journals
 * it, so that opening another scan, another result or quitting asks first, and a crash offers it back. Asked only
 * once it is shown: the segmentation it replaced can no longer be edited (an edit of it would take the scan's journal),
 * and a result that never showed is never counted.
 */
async function keepShownResult(context: FollowContext, maskId: string): Promise<void> {
  const { api, dispatch, state } = context;
  let kept;
  try {
    kept = await unwrap(api['mask:keep']({ maskId }));
  } catch (error) {
    dispatch({ type: 'error', message: describeError("The model's result is shown, but leaving it will not ask to save it", error) });
    return;
  }
  const shown = state.current.segmentation;
  if (shown?.maskId === maskId) dispatch({ type: 'segmentStats', maskId, revision: shown.statsRevision, unsavedEdits: kept.unsavedEdits });
  if (kept.unprotected !== undefined) tellUnprotected(dispatch, kept.unprotected);
}
