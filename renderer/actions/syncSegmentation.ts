import type { AxialApi, LabelEdit, SegmentInfo } from '../../core/contract.js';
import { toLabelEdit } from '../segmentation/toLabelEdit.js';
import type { SegmentationStore } from '../segmentation/types.js';

export interface SyncParams {
  readonly api: Pick<AxialApi, 'mask:edit' | 'mask:statistics'>;
  readonly maskId: string;
  /** The loaded volume main's statistics are of at first (the mask's own); see {@link SyncHandle.statsOf}. */
  readonly volumeId: string;
  readonly store: SegmentationStore;
  /**
   * Main has every change up to the store's `revision`; `stats` are its
   * statistics after them and `unsavedEdits` its count of changes since the
   * last save (both absent when that revision changed only the undo history),
   * `volumeId` the volume whose values the statistics are of.
   */
  readonly onSynced: (revision: number, stats?: readonly SegmentInfo[], unsavedEdits?: number, volumeId?: string) => void;
  readonly onError: (message: string) => void;
  /** Main kept a change but could not journal it (`why`); called once until a change is journaled again. */
  readonly onUnprotected: (why: string) => void;
}

/** Following a store: stop, and wait until main has every change made so far. */
export interface SyncHandle {
  readonly stop: () => void;
  /** Resolves once no change is waiting or on its way (at once when none is, or after stop). */
  readonly synced: () => Promise<void>;
  /**
   * From now on main's statistics are of this loaded volume (another time point of the mask's series): asked for at
   * once (`mask:statistics`, after any change on its way) and with every change after.
   */
  readonly statsOf: (volumeId: string) => void;
}

/**
 * Sends every change of the store to main as it happens (`mask:edit`: the
 * changed voxels' runs and the segment table), which keeps its copy and the
 * crash-recovery journal. One call at a time: changes made while a call is
 * under way go together in the next, so a fast drag never queues up calls.
 */
export function syncSegmentation(params: SyncParams): SyncHandle {
  const { api, maskId, store } = params;
  let pending: LabelEdit[] = [];
  let dirty = false;
  let sending = false;
  let stopped = false;
  let waiters: (() => void)[] = [];
  let unprotected = false;
  let statsVolumeId = params.volumeId;
  /** Statistics of another volume are asked for, with no change to send. */
  let statsWanted = false;
  const settle = (): void => {
    if ((sending || dirty) && !stopped) return;
    const wake = waiters;
    waiters = [];
    for (const done of wake) done();
  };

  const flush = async (): Promise<void> => {
    if (sending || !(dirty || statsWanted) || stopped) return;
    if (!dirty) return askStatistics();
    sending = true;
    const edits = pending;
    pending = [];
    dirty = false;
    statsWanted = false;
    const volumeId = statsVolumeId;
    const { revision, segments } = store.getSnapshot();
    try {
      const result = await api['mask:edit']({ maskId, edits, segments: [...segments], volumeId });
      if (stopped) return;
      if (result.ok) {
        params.onSynced(dirty ? revision : store.getSnapshot().revision, result.value.segments, result.value.unsavedEdits, volumeId);
        const why = result.value.unprotected;
        if (why !== undefined && !unprotected) params.onUnprotected(why);
        unprotected = why !== undefined;
      } else params.onError(`Could not keep the edit: ${result.error.message}`);
    } catch (error) {
      if (!stopped) params.onError(`Could not keep the edit: ${(error as Error).message}`);
    } finally {
      sending = false;
      if (dirty || statsWanted) void flush();
      settle();
    }
  };

  /** Main has every change: only the statistics' volume changed. */
  const askStatistics = async (): Promise<void> => {
    sending = true;
    statsWanted = false;
    const volumeId = statsVolumeId;
    const { revision } = store.getSnapshot();
    try {
      const result = await api['mask:statistics']({ maskId, volumeId });
      if (stopped) return;
      if (result.ok) params.onSynced(dirty ? revision : store.getSnapshot().revision, result.value.segments, undefined, volumeId);
      else params.onError(`Could not update the statistics: ${result.error.message}`);
    } catch (error) {
      if (!stopped) params.onError(`Could not update the statistics: ${(error as Error).message}`);
    } finally {
      sending = false;
      if (dirty || statsWanted) void flush();
      settle();
    }
  };

  const unsubscribe = store.subscribe((event) => {
    if (event.edits.length === 0 && !event.segmentsChanged) {
      if (!sending && !dirty) params.onSynced(event.revision);
      return;
    }
    for (const edit of event.edits) pending = appendEdit(pending, toLabelEdit(edit));
    dirty = true;
    void flush();
  });
  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      settle();
    },
    synced: () =>
      new Promise<void>((done) => {
        waiters.push(done);
        settle();
      }),
    statsOf: (volumeId) => {
      if (volumeId === statsVolumeId) return;
      statsVolumeId = volumeId;
      statsWanted = true;
      void flush();
    },
  };
}

/**
 * Adds an edit to the queue, joined onto the last one when it is of the same
 * layer (the runs apply in order either way), so a long drag stays one edit
 * per layer. The bytes are copied: a view would carry its whole buffer across IPC.
 */
function appendEdit(queue: LabelEdit[], edit: LabelEdit): LabelEdit[] {
  const last = queue[queue.length - 1];
  if (last?.layer !== edit.layer) return [...queue, { layer: edit.layer, runs: edit.runs.slice() }];
  const runs = new Uint8Array(last.runs.byteLength + edit.runs.byteLength);
  runs.set(last.runs);
  runs.set(edit.runs, last.runs.byteLength);
  return [...queue.slice(0, -1), { layer: edit.layer, runs }];
}
