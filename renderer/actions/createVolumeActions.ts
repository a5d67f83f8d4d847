import type { Result, ScanResult } from '../../core/contract.js';
import { unwrap } from '../api/callApi.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import { loadVolume } from '../data/loadData.js';
import { initialWindow } from '../display/windowPresets.js';
import type { ViewerState } from '../state/viewerState.js';
import type { ActionContext } from './ActionContext.js';
import { createLoadTracker, isLoadCancelled, type LoadTracker } from './createLoadTracker.js';
import { tellUnprotected } from './tellUnprotected.js';

/** Opening a scan and loading one of its series (`volume:` calls). */
export interface VolumeActions {
  openScan(source: 'file' | 'folder'): void;
  /** Opens what main registered behind a token (a drop, a Recent menu item). */
  openToken(dropToken: string): void;
  openDropped(files: readonly File[]): void;
  /** Opens a recent study by its key (main looks up where it is). */
  openStudy(key: string): void;
  loadSeries(scanId: string, seriesIndex: number): void;
  /** Stops the scan or load under way (the bar's Cancel, Esc); what was shown before stays, and no error shows. */
  cancelLoad(): void;
}

export interface VolumeActionContext extends ActionContext {
  /** Cancels the model run under way. */
  readonly cancelJob: () => void;
  /** Asks whether to stop the model run under way so that another scan can open; true: stop it. */
  readonly mayStopRun: () => Promise<boolean>;
}

/** Opening scans: a dialog, a drop or a Recent item; one series loads at once, several are offered to pick from. */
export function createVolumeActions(context: VolumeActionContext): VolumeActions {
  const { attempt, dispatch } = context;
  const loads = createLoadTracker(dispatch);
  const loadSeries = (scanId: string, seriesIndex: number): void =>
    attempt('Could not load the series', (a) => loadSeriesFrom(context, loads, a, scanId, seriesIndex));
  const open = (source: 'file' | 'folder' | 'drop', dropToken?: string): void =>
    openWith((a) => a['volume:open'](dropToken ? { source, dropToken } : { source }));
  const openWith = (request: (a: DesktopApi) => Promise<Result<ScanResult | null>>): void =>
    attempt('Could not open the scan', async (a) => {
      dispatch({ type: 'busy', message: 'Scanning…' });
      let scan;
      try {
        scan = await loads.track('scanning', () => unwrap(request(a)));
      } catch (error) {
        if (!isLoadCancelled(error)) throw error;
      }
      dispatch({ type: 'busy', message: null });
      if (!scan) return;
      if (scan.series.length === 0) throw new Error(`no images found in ${scan.name}`);
      if (scan.series.length === 1) loadSeries(scan.scanId, scan.series[0]!.index);
      else dispatch({ type: 'pickSeries', scan });
    });
  return {
    openScan: (source) => open(source),
    openToken: (dropToken) => open('drop', dropToken),
    openDropped: (files) =>
      attempt('Could not open the dropped file', async (a) => {
        const file = files[0];
        if (!file) return;
        if (!a.registerDrop) throw new Error('dropping files is not available here; use Open file or Open folder');
        const { dropToken } = await unwrap(a.registerDrop(file));
        open('drop', dropToken);
      }),
    openStudy: (key) => openWith((a) => a['studies:open']({ key })),
    loadSeries,
    cancelLoad: () => {
      if (!loads.cancel()) return;
      attempt('Could not cancel loading', async (a) => void (await unwrap(a['volume:cancel']({}))));
    },
  };
}

async function loadSeriesFrom(context: VolumeActionContext, loads: LoadTracker, a: DesktopApi, scanId: string, seriesIndex: number): Promise<void> {
  const { dispatch, state } = context;
  const leaving = state.current.segmentation;
  const picking = state.current.pickSeries;
  // A run under way is the user's work too: it is stopped only if they say so, and then at once (a result that came
  // during the questions and the load would be shown on the scan being left). One whose result is being placed is done.
  const run = state.current.job;
  const asking = run !== null && !run.cancelling && !run.finishing;
  const stop = asking ? await context.mayStopRun() : true;
  if (asking && stop) context.cancelJob();
  const leave = stop && (await context.mayLeave(a, 'open-scan'));
  if (!leave) {
    dispatch({ type: 'pickSeries', scan: null });
    return;
  }
  // The picker steps aside while the series loads (its backdrop would cover the bar's Cancel), and is offered again if the load is cancelled.
  if (picking) dispatch({ type: 'pickSeries', scan: null });
  dispatch({ type: 'busy', message: 'Loading series…' });
  let header, volume;
  try {
    ({ header, volume } = await loads.track('loading', async (cancelled) => {
      const loadedHeader = await unwrap(a['volume:load']({ scanId, seriesIndex }));
      // Main finished before the Cancel reached it: the voxels are not worth fetching.
      if (cancelled()) return { header: loadedHeader, volume: null };
      return { header: loadedHeader, volume: await loadVolume(loadedHeader) };
    }));
  } catch (error) {
    // Discarded for a scan that did not open: the segmentation is still shown, so it is unsaved work again.
    if (leave === 'discarded' && leaving) await journalAgain(context, a, leaving).catch(() => undefined);
    if (!isLoadCancelled(error)) throw error;
    dispatch({ type: 'busy', message: null });
    if (picking) dispatch({ type: 'pickSeries', scan: picking });
    return;
  }
  if (!volume) return;
  const voi = initialWindow({
    modality: header.modality,
    units: header.units,
    filePresets: header.windowPresets,
    voxels: volume.voxels,
    range: header.range,
  });
  // A run started during the load is not stopped unasked: its result, for the scan left, is set aside when it comes.
  dispatch({ type: 'volumeLoaded', volume: { ...volume, source: { scanId, seriesIndex } }, voi });
}

/**
 * Main counts a segmentation unsaved again and journals it as it is (an
 * edit of nothing starts a journal whose base holds every change), after a
 * Discard whose replacement failed.
 */
async function journalAgain(context: ActionContext, a: DesktopApi, session: NonNullable<ViewerState['segmentation']>): Promise<void> {
  const { dispatch, state } = context;
  const { segments } = session.store.getSnapshot();
  const { unsavedEdits, unprotected } = await unwrap(a['mask:edit']({ maskId: session.maskId, edits: [], segments: [...segments] }));
  if (unprotected !== undefined) tellUnprotected(dispatch, unprotected);
  const shown = state.current.segmentation;
  if (shown?.maskId === session.maskId) dispatch({ type: 'segmentStats', maskId: session.maskId, revision: shown.statsRevision, unsavedEdits });
}
