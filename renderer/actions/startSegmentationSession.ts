import type { AxialApi, MaskHeader, SegmentDef } from '../../core/contract.js';
import { createSegmentationStore } from '../segmentation/createSegmentationStore.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { isSameSeries } from '../data/isSameSeries.js';
import { sameGrid } from '../../core/geometry/sameGrid.js';
import { syncSegmentation } from './syncSegmentation.js';
import { changingScanValues } from '../segmentation/growFromSeedsScanValues.js';
import { tellUnprotected } from './tellUnprotected.js';
import type { SegmentationSession, ViewerAction } from '../state/viewerState.js';

export interface SessionParams {
  readonly api: Pick<AxialApi, 'mask:edit' | 'mask:statistics'>;
  readonly header: MaskHeader;
  readonly volume: LoadedVolume;
  /** The mask's label layers, fetched; the store takes them over. */
  readonly layers: LabelArray[];
  readonly dispatch: (action: ViewerAction) => void;
}

/**
 * Hands a segmentation to a new store and follows it: every change goes into
 * the viewer's state and, as run-length edits, to main (which answers the
 * statistics). The scan values its tools read, and main's statistics, are of
 * the time point drawn (the session's `followVolume`). Returns the session and
 * the function that stops following it.
 */
export function startSegmentationSession(params: SessionParams): { session: SegmentationSession; stop: () => void } {
  const { header, volume, dispatch } = params;
  // The voxels drawn: a threshold, a region or a grow reads the time point shown, never the one the mask was made on.
  let shown = volume;
  // A tool that copies the values (grow from seeds) is told when they change.
  const values = changingScanValues((n) => shown.voxels[n]!);
  const store = createSegmentationStore({
    grid: volume.header,
    layers: params.layers,
    segments: header.segments.map(segmentDefOf),
    scanValue: values.scanValue,
  });
  const maskId = header.maskId;
  /** Each volume followed's time point, to say which one main's statistics are of. */
  const timePoints = new Map<string, number | undefined>([[header.volumeId, volume.header.timePoint]]);
  const stopStore = store.subscribe(() => dispatch({ type: 'segmentationChanged', maskId, snapshot: store.getSnapshot() }));
  const sync = syncSegmentation({
    api: params.api,
    maskId,
    volumeId: header.volumeId,
    store,
    onSynced: (revision, stats, unsavedEdits, volumeId) =>
      dispatch({
        type: 'segmentStats',
        maskId,
        revision,
        ...(stats ? { stats, statsTimePoint: timePoints.get(volumeId ?? header.volumeId) } : {}),
        ...(unsavedEdits === undefined ? {} : { unsavedEdits }),
      }),
    onError: (message) => dispatch({ type: 'error', message }),
    onUnprotected: (why) => tellUnprotected(dispatch, why),
  });
  /** Another time point of the series is drawn: the tools read its values and main's statistics follow it. */
  const followVolume = (next: LoadedVolume): void => {
    // Main's test (createMaskHandlers' statsSource): the same series on the same grid, so the two never disagree.
    if (next === shown || !isSameSeries(volume, next) || !sameGrid(volume.header, next.header) || next.voxels.length !== volume.voxels.length) return;
    shown = next;
    timePoints.set(next.header.volumeId, next.header.timePoint);
    values.changed();
    sync.statsOf(next.header.volumeId);
  };
  const snapshot = store.getSnapshot();
  const { unsavedEdits } = header;
  const statsTimePoint = volume.header.timePoint;
  const stats = header.segments;
  return {
    session: {
      maskId,
      name: header.name,
      store,
      snapshot,
      stats,
      statsTimePoint,
      statsRevision: snapshot.revision,
      unsavedEdits,
      synced: sync.synced,
      followVolume,
    },
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
