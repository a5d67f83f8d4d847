import type { AxialApi, MaskHeader } from '../../core/contract.js';
import { loadMask } from '../data/loadData.js';
import type { SegmentationStore } from '../segmentation/types.js';
import type { ActionContext } from './ActionContext.js';
import { startSegmentationSession } from './startSegmentationSession.js';
import { withDetails } from '../display/statusDetails.js';

/** Shows a segmentation as the one being edited; resolves with its new store, or null when it is not for the shown scan. */
export type ShowMask = (api: AxialApi, header: MaskHeader, status: string) => Promise<SegmentationStore | null>;

/** Where the running segmentation session keeps the function that stops it (one session at a time). */
export interface SessionSlot {
  current: (() => void) | null;
}

/**
 * The one way a segmentation comes on screen: fetches it, hands it to a new
 * store, and keeps main's copy in step with it (stopping the session before).
 */
export function createShowMask(context: Pick<ActionContext, 'dispatch' | 'state'>, stopSession: SessionSlot): ShowMask {
  const { dispatch, state } = context;
  return async (api, header, status) => {
    const volume = state.current.volume;
    if (!volume || volume.header.volumeId !== header.volumeId) return null;
    const mask = await loadMask(header, volume.header);
    // The scan or time point changed while the labels were fetched: nothing is replaced (the caller may show it again).
    if (state.current.volume?.header.volumeId !== header.volumeId) return null;
    stopSession.current?.();
    const { session, stop } = startSegmentationSession({ api, header, volume, layers: mask.layers, dispatch });
    stopSession.current = stop;
    // The mask's notes (a skipped GPU provider and its install hint, a resampling) go behind Details.
    dispatch({
      type: 'maskLoaded',
      volumeId: header.volumeId,
      session,
      status: withDetails(status, header.warnings),
    });
    return session.store;
  };
}
