import { describeError } from '../api/callApi.js';
import type { SegmentationCommand, SegmentationStore } from '../segmentation/types.js';
import type { ActionContext } from './ActionContext.js';

/** Runs a store command (on the shown segmentation's store unless given one); false when there is none or it was refused. */
export type StoreUpdate = (command: SegmentationCommand, store?: SegmentationStore) => boolean;

/** The segmentation store's `update`, reporting a refused command in words through the error banner. */
export function createStoreUpdate(context: Pick<ActionContext, 'dispatch' | 'state'>): StoreUpdate {
  const { dispatch, state } = context;
  return (command, store = state.current.segmentation?.store) => {
    if (!store) return false;
    try {
      return store.update(command);
    } catch (error) {
      dispatch({ type: 'error', message: describeError('Could not change the segmentation', error) });
      return false;
    }
  };
}
