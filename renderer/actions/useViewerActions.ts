import { useEffect, useMemo, useRef, type Dispatch, type RefObject } from 'react';
import type { AxialApi, ExportFormat, MaskHeader } from '../../core/contract.js';
import { describeError, unwrap } from '../api/callApi.js';
import { inferenceDeviceFor, type DeviceChoice } from '../api/gpuDevice.js';
import { loadMask, loadVolume } from '../data/loadData.js';
import { initialWindow } from '../display/windowPresets.js';
import type { ViewName } from '../geometry/types.js';
import type { Axis, Vec3 } from '../../core/geometry/types.js';
import type { SegmentationCommand, SegmentationStore } from '../segmentation/types.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import { confirmLeave, type LeaveOutcome } from './confirmLeave.js';
import { createAttempt } from './createAttempt.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import { createPictureActions, type PictureActions } from './createPictureActions.js';
import type { PromptStore } from '../state/createPromptStore.js';
import { followModelRuns } from './followModelRuns.js';
import { startSegmentationSession } from './startSegmentationSession.js';
import { subscribeToMenu } from './subscribeToMenu.js';
import type { ModelTarget, ViewerAction, ViewerState } from '../state/viewerState.js';

export interface ViewerActions extends PictureActions {
  openScan(source: 'file' | 'folder'): void;
  /** Opens what main registered behind a token (a drop, a Recent menu item). */
  openToken(dropToken: string): void;
  openDropped(files: readonly File[]): void;
  loadSeries(scanId: string, seriesIndex: number): void;
  openLabels(): void;
  /** Runs a model; its result becomes a segmentation of its own ('new') or new segments of the open one ('append'). */
  runModel(model: 'demo' | 'choose', device: DeviceChoice, into: ModelTarget['kind']): void;
  cancelJob(): void;
  exportLabels(format: ExportFormat): void;
  /** Adds a segment (creating an empty segmentation first when there is none) and makes it the active one. */
  addSegment(): void;
  /** Any other change to the segmentation: rename, recolour, lock, delete, clean-ups, undo, redo. */
  edit(command: SegmentationCommand): void;
  /** A brush or eraser drag in a view: start, move and end, at a voxel index. */
  paint(phase: 'start' | 'move' | 'end', index: Vec3, planeAxis: Axis): void;
  restoreRecovery(): void;
  discardRecovery(): void;
}

interface Context {
  readonly api: DesktopApi | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly state: RefObject<ViewerState>;
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
  /** The Save / Discard / Cancel question about unsaved edits (UnsavedDialog shows it). */
  readonly prompt: PromptStore;
}

/** Why a new segmentation must wait while an earlier session's edits are offered: its first edit would start the journal afresh. */
const recoveryFirst = 'first restore or discard the unsaved edits from the earlier session (the bar above), or they would be replaced';

/** The viewer's calls to main, each reporting failure in words through the error banner. */
export function useViewerActions(context: Context): ViewerActions {
  const { api, dispatch, state, renderers, prompt } = context;
  const stopSession = useRef<(() => void) | null>(null);
  const actions = useMemo(() => createActions({ api, dispatch, state, renderers, prompt }, stopSession), [api, dispatch, state, renderers, prompt]);
  useEffect(() => {
    if (!api) return undefined;
    return followModelRuns({ api, dispatch, state, prompt, showMask: (header, status) => actions.showMask(api, header, status) });
  }, [api, dispatch, state, prompt, actions]);
  useEffect(() => () => stopSession.current?.(), []);
  useEffect(() => subscribeToMenu(api, actions, prompt), [api, actions, prompt]);
  return actions;
}

type ActionsWithMask = ViewerActions & { showMask(a: AxialApi, header: MaskHeader, status: string): Promise<SegmentationStore | null> };

function createActions(context: Context, stopSession: { current: (() => void) | null }): ActionsWithMask {
  const { api, dispatch, state, renderers, prompt } = context;
  /** Asks about the shown segmentation's unsaved edits before it is replaced; true when it may go. */
  const mayLeave = (a: DesktopApi, reason: Parameters<typeof confirmLeave>[1]): Promise<LeaveOutcome> => confirmLeave({ api: a, state, dispatch, prompt }, reason);
  const attempt = createAttempt(api, dispatch);

  const cancelJob = (): void =>
    attempt('Could not cancel', async (a) => {
      const job = state.current.job;
      if (!job) return;
      dispatch({ type: 'jobCancelling' });
      const { cancelled } = await unwrap(a['segmentation:cancel']({ jobId: job.jobId }));
      if (cancelled && state.current.job?.jobId === job.jobId) {
        dispatch({ type: 'jobEnded' });
        dispatch({ type: 'status', message: 'Model run cancelled' });
      }
    });

  const loadSeries = (scanId: string, seriesIndex: number): void =>
    attempt('Could not load the series', async (a) => {
      const leaving = state.current.segmentation;
      const leave = await mayLeave(a, 'open-scan');
      if (!leave) {
        dispatch({ type: 'pickSeries', scan: null });
        return;
      }
      dispatch({ type: 'busy', message: 'Loading series…' });
      let header, volume;
      try {
        header = await unwrap(a['volume:load']({ scanId, seriesIndex }));
        volume = await loadVolume(header);
      } catch (error) {
        // Discarded for a scan that did not open: the segmentation is still shown, so it is unsaved work again.
        if (leave === 'discarded' && leaving) await journalAgain(a, leaving).catch(() => undefined);
        throw error;
      }
      const voi = initialWindow({
        modality: header.modality,
        units: header.units,
        filePresets: header.windowPresets,
        voxels: volume.voxels,
        range: header.range,
      });
      // A model run on the scan just replaced would have nothing to show its result on.
      const running = state.current.job !== null;
      dispatch({ type: 'volumeLoaded', volume, voi });
      if (running) cancelJob();
    });

  /**
   * Main counts a segmentation unsaved again and journals it as it is (an
   * edit of nothing starts a journal whose base holds every change), after a
   * Discard whose replacement failed.
   */
  const journalAgain = async (a: DesktopApi, session: NonNullable<ViewerState['segmentation']>): Promise<void> => {
    const { segments } = session.store.getSnapshot();
    const { unsavedEdits } = await unwrap(a['mask:edit']({ maskId: session.maskId, edits: [], segments: [...segments] }));
    const shown = state.current.segmentation;
    if (shown?.maskId === session.maskId) dispatch({ type: 'segmentStats', maskId: session.maskId, revision: shown.statsRevision, unsavedEdits });
  };

  const open = (source: 'file' | 'folder' | 'drop', dropToken?: string): void =>
    attempt('Could not open the scan', async (a) => {
      dispatch({ type: 'busy', message: 'Scanning…' });
      const scan = await unwrap(a['volume:open'](dropToken ? { source, dropToken } : { source }));
      dispatch({ type: 'busy', message: null });
      if (!scan) return;
      if (scan.series.length === 0) throw new Error(`no images found in ${scan.name}`);
      if (scan.series.length === 1) loadSeries(scan.scanId, scan.series[0]!.index);
      else dispatch({ type: 'pickSeries', scan });
    });

  /** Fetches a segmentation, hands it to a new store, and keeps main's copy in step with it. */
  const showMask = async (a: AxialApi, header: MaskHeader, status: string): Promise<SegmentationStore | null> => {
    const volume = state.current.volume;
    if (!volume || volume.header.volumeId !== header.volumeId) return null;
    const mask = await loadMask(header, volume.header);
    stopSession.current?.();
    const { session, stop } = startSegmentationSession({ api: a, header, volume, layers: mask.layers, dispatch });
    stopSession.current = stop;
    const warnings = header.warnings.length ? ` (${header.warnings.join('; ')})` : '';
    dispatch({
      type: 'maskLoaded',
      volumeId: header.volumeId,
      session,
      status: status + warnings,
    });
    return session.store;
  };

  /** Runs a store command (on the shown segmentation's store unless given one), reporting a refused one in words. */
  const update = (command: SegmentationCommand, store = state.current.segmentation?.store): boolean => {
    if (!store) return false;
    try {
      return store.update(command);
    } catch (error) {
      dispatch({ type: 'error', message: describeError('Could not change the segmentation', error) });
      return false;
    }
  };

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
    loadSeries,
    openLabels: () =>
      attempt('Could not open the labels', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('open a scan first');
        if (state.current.recovery) throw new Error(recoveryFirst);
        dispatch({ type: 'busy', message: 'Opening labels…' });
        const header = await unwrap(a['mask:open']({ volumeId: volume.header.volumeId }));
        dispatch({ type: 'busy', message: null });
        if (!header) return;
        // Asked after the file was chosen: a cancelled file dialog must not have cost the user their edits.
        if (await mayLeave(a, 'open-labels')) await showMask(a, header, `Opened ${header.name}`);
        else await unwrap(a['mask:close']({ maskId: header.maskId }));
      }),
    runModel: (model, device, kind) =>
      attempt('Could not run the model', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('open a scan first');
        if (state.current.job) throw new Error('a model is already running');
        const shown = state.current.segmentation;
        const into: ModelTarget = kind === 'append' && shown ? { kind: 'append', maskId: shown.maskId } : { kind: 'new' };
        if (into.kind === 'new' && state.current.recovery) throw new Error(recoveryFirst);
        // No question yet: the result's arrival asks about the shown segmentation ('model-result'), and only if there is a result.
        const platform = navigator.platform || navigator.userAgent;
        const { jobId } = await unwrap(
          a['segmentation:run']({ volumeId: volume.header.volumeId, model, device: inferenceDeviceFor(device, platform) }),
        );
        dispatch({ type: 'jobStarted', jobId, into });
      }),
    cancelJob,
    showMask,
    exportLabels: (format) =>
      attempt('Could not export the segmentation', async (a) => {
        const session = state.current.segmentation;
        if (!session) throw new Error('there is no segmentation to export');
        // Main writes its copy: it must hold every change first.
        await session.synced();
        const saved = await unwrap(a['mask:export']({ maskId: session.maskId, format }));
        const warnings = saved.warnings?.length ? ` (${saved.warnings.join('; ')})` : '';
        if (!saved.saved) return;
        if (saved.complete === false) {
          dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the segmentation'}${warnings}; it cannot hold every segment, so the edits stay unsaved` });
          return;
        }
        if (!format.startsWith('stats')) dispatch({ type: 'segmentationSaved', maskId: session.maskId });
        dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the segmentation'}${warnings}` });
      }),
    addSegment: () =>
      attempt('Could not add a segment', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('open a scan first');
        if (!state.current.segmentation && state.current.recovery) throw new Error(recoveryFirst);
        // The new store is not in the rendered state yet: use it directly.
        const store = state.current.segmentation?.store ?? (await showMask(a, await unwrap(a['mask:create']({ volumeId: volume.header.volumeId })), 'New segmentation'));
        if (store) update({ type: 'addSegment' }, store);
      }),
    edit: (command) => void update(command),
    paint: (phase, index, planeAxis) => {
      const { tool, activeSegment, segmentation } = state.current;
      if (!segmentation || tool.kind === 'navigate') return;
      if (phase === 'end') return void update({ type: 'endStroke' });
      if (!activeSegment) {
        if (phase === 'start') dispatch({ type: 'error', message: 'Choose a segment to paint (or add one) first.' });
        return;
      }
      if (phase === 'start') update({ type: 'beginStroke' });
      update({
        type: 'paint',
        segment: activeSegment,
        centres: [index],
        radiusMm: tool.radiusMm,
        shape: tool.shape,
        planeAxis,
        erase: tool.kind === 'eraser',
        ...(tool.threshold.on ? { threshold: { min: tool.threshold.min, max: tool.threshold.max } } : {}),
      });
    },
    restoreRecovery: () =>
      attempt('Could not restore the edits', async (a) => {
        const volume = state.current.volume;
        if (!volume) return;
        const header = await unwrap(a['mask:recover']({ volumeId: volume.header.volumeId }));
        dispatch({ type: 'recovery', recovery: null });
        await showMask(a, header, `Restored unsaved edits to ${header.name}`);
      }),
    discardRecovery: () =>
      attempt('Could not discard the edits', async (a) => {
        const volume = state.current.volume;
        if (!volume) return;
        await unwrap(a['mask:discardRecovery']({ volumeId: volume.header.volumeId }));
        dispatch({ type: 'recovery', recovery: null });
      }),
    ...createPictureActions({ attempt, dispatch, state, renderers }),
  };

}
