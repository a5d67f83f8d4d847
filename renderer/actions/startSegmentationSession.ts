import type { AxialApi, MaskHeader, SegmentDef } from '../../core/contract.js';
import { createSegmentationStore } from '../segmentation/createSegmentationStore.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { syncSegmentation } from './syncSegmentation.js';
import { tellUnprotected } from './tellUnprotected.js';
import type { SegmentationSession, ViewerAction } from '../state/viewerState.js';

export interface SessionParams {
  readonly api: Pick<AxialApi, 'mask:edit'>;
  readonly header: MaskHeader;
  readonly volume: LoadedVolume;
  /** The mask's label layers, fetched; the store takes them over. */
  readonly layers: LabelArray[];
  readonly dispatch: (action: ViewerAction) => void;
}

/**
 * Hands a segmentation to a new store and follows it: every change goes into
 * the viewer's state and, as run-length edits, to main (which answers the
 * statistics). Returns the session and the function that stops following it.
 */
export function startSegmentationSession(params: SessionParams): { session: SegmentationSession; stop: () => void } {
  const { header, volume, dispatch } = params;
  const { voxels } = volume;
  const store = createSegmentationStore({
    grid: volume.header,
    layers: params.layers,
    segments: header.segments.map(segmentDefOf),
    scanValue: (n) => voxels[n]!,
  });
  const maskId = header.maskId;
  const stopStore = store.subscribe(() => dispatch({ type: 'segmentationChanged', maskId, snapshot: store.getSnapshot() }));
  const sync = syncSegmentation({
    api: params.api,
    maskId,
    store,
    onSynced: (revision, stats, unsavedEdits) =>
      dispatch({ type: 'segmentStats', maskId, revision, ...(stats ? { stats } : {}), ...(unsavedEdits === undefined ? {} : { unsavedEdits }) }),
    onError: (message) => dispatch({ type: 'error', message }),
    onUnprotected: (why) => tellUnprotected(dispatch, why),
  });
  const snapshot = store.getSnapshot();
  const { unsavedEdits } = header;
  return {
    session: { maskId, name: header.name, store, snapshot, stats: header.segments, statsRevision: snapshot.revision, unsavedEdits, synced: sync.synced },
    stop: () => {
      stopStore();
      sync.stop();
    },
  };
}

/** The data part of a segment's row (main's schema refuses anything more). */
export function segmentDefOf(s: SegmentDef): SegmentDef {
  const { layer, value, name, colour, algorithmType, algorithmName, locked } = s;
  return { layer, value, name, colour: [colour[0], colour[1], colour[2]], algorithmType, ...(algorithmName ? { algorithmName } : {}), locked };
}
