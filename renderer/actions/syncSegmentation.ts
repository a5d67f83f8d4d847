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
  /**
   * Resolves once no change is waiting or on its way (at once when none is, or after stop), or once main has
   * refused changes past every retry (the user was told, see {@link SyncParams.onError}).
   */
  readonly synced: () => Promise<void>;
  /**
   * From now on main's statistics are of this loaded volume (another time point of the mask's series): asked for at
   * once (`mask:statistics`, after any change on its way) and, once main answers them, with every change after.
   * Where main cannot (it forgot that volume to free memory), they fall back to the mask's own volume.
   */
  readonly statsOf: (volumeId: string) => void;
}

/** How long to wait before sending changes main refused again, try by try; after the last the user is told. */
const retryDelaysMs = [250, 1000, 4000];

/**
 * Sends every change of the store to main as it happens (`mask:edit`: the
 * changed voxels' runs and the segment table), which keeps its copy and the
 * crash-recovery journal. One call at a time: changes made while a call is
 * under way go together in the next, so a fast drag never queues up calls.
 * A change main did not keep is never dropped: it goes back in front of the
 * queue and is sent again (after a pause, and with every later change).
 */
export function syncSegmentation(params: SyncParams): SyncHandle {
  const { api, maskId, store } = params;
  let pending: LabelEdit[] = [];
  let dirty = false;
  let sending = false;
  let stopped = false;
  let waiters: (() => void)[] = [];
  let unprotected = false;
  /** The volume whose sums main keeps for this mask (it answered them): every edit names it, so none is refused for it. */
  let statsVolumeId = params.volumeId;
  /** The volume the statistics should be of (the time point shown); asked for with `mask:statistics`. */
  let wantedVolumeId = params.volumeId;
  /** Statistics of another volume are asked for, with no change to send. */
  let statsWanted = false;
  /** Failed sends in a row; past the retries the changes wait for the next one and `synced` no longer waits for them. */
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const stalled = (): boolean => failures > retryDelaysMs.length;
  const settle = (): void => {
    if ((sending || (dirty && !stalled())) && !stopped) return;
    const wake = waiters;
    waiters = [];
    for (const done of wake) done();
  };

  /**
   * Sends the changes waiting, or else asks the statistics wanted. Changes main refused wait for their retry, or
   * (`now`) go at once: with a new change, or when the retry is due.
   */
  const flush = async (now = false): Promise<void> => {
    if (sending || stopped) return;
    if (!dirty) return statsWanted ? askStatistics() : undefined;
    if (!now && (retry !== undefined || stalled())) return;
    if (retry !== undefined) clearTimeout(retry);
    retry = undefined;
    sending = true;
    const edits = pending;
    pending = [];
    dirty = false;
    const volumeId = statsVolumeId;
    const { revision, segments } = store.getSnapshot();
    try {
      const result = await api['mask:edit']({ maskId, edits, segments: [...segments], volumeId });
      if (stopped) return;
      if (result.ok) {
        failures = 0;
        params.onSynced(dirty ? revision : store.getSnapshot().revision, result.value.segments, result.value.unsavedEdits, volumeId);
        const why = result.value.unprotected;
        if (why !== undefined && !unprotected) params.onUnprotected(why);
        unprotected = why !== undefined;
      } else notKept(edits, result.error.message);
    } catch (error) {
      if (!stopped) notKept(edits, (error as Error).message);
    } finally {
      sending = false;
      void flush();
      settle();
    }
  };

  /**
   * Main refused (or never got) `edits`: they go back in front of the changes made since, and are sent again. Runs
   * set values, so edits main did keep after all (an answer lost on the way) land the same a second time.
   */
  const notKept = (edits: LabelEdit[], why: string): void => {
    let queue = edits;
    for (const edit of pending) queue = appendEdit(queue, edit);
    pending = queue;
    dirty = true;
    failures++;
    if (!stalled()) {
      retry = setTimeout(
        () => {
          retry = undefined;
          void flush(true);
        },
        retryDelaysMs[failures - 1],
      );
      return;
    }
    // Once per run of failures: every later change sends these again.
    if (failures === retryDelaysMs.length + 1) {
      params.onError(
        `Could not keep the edit: ${why}. It is still shown but not kept (a save or a crash would lose it); Axial sends it again with your next edit.`,
      );
    }
  };

  /** Main has every change: only the statistics' volume changed. */
  const askStatistics = async (): Promise<void> => {
    sending = true;
    statsWanted = false;
    const volumeId = wantedVolumeId;
    const { revision } = store.getSnapshot();
    try {
      const result = await api['mask:statistics']({ maskId, volumeId });
      if (stopped) return;
      if (result.ok) {
        statsVolumeId = volumeId;
        params.onSynced(dirty ? revision : store.getSnapshot().revision, result.value.segments, undefined, volumeId);
      } else statisticsRefused(volumeId, result.error.message);
    } catch (error) {
      if (!stopped) statisticsRefused(volumeId, (error as Error).message);
    } finally {
      sending = false;
      void flush();
      settle();
    }
  };

  /**
   * Main cannot answer statistics of `volumeId` (it forgot that time point to free memory, or it is on another grid):
   * they are of the mask's own volume instead, and say so (its time point labels them).
   */
  const statisticsRefused = (volumeId: string, why: string): void => {
    if (volumeId === params.volumeId) {
      params.onError(`Could not update the statistics: ${why}`);
      return;
    }
    statsVolumeId = params.volumeId;
    // A later time point asked for meanwhile is asked next instead.
    if (wantedVolumeId !== volumeId) return;
    wantedVolumeId = params.volumeId;
    statsWanted = true;
  };

  const unsubscribe = store.subscribe((event) => {
    if (event.edits.length === 0 && !event.segmentsChanged) {
      if (!sending && !dirty) params.onSynced(event.revision);
      return;
    }
    for (const edit of event.edits) pending = appendEdit(pending, toLabelEdit(edit));
    dirty = true;
    void flush(true);
  });
  return {
    stop: () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      unsubscribe();
      settle();
    },
    synced: () =>
      new Promise<void>((done) => {
        waiters.push(done);
        settle();
      }),
    statsOf: (volumeId) => {
      if (volumeId === wantedVolumeId) return;
      wantedVolumeId = volumeId;
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
