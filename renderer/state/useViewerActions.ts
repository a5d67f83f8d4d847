import { useEffect, useMemo, useRef, type Dispatch, type RefObject } from 'react';
import type { AxialApi, ExportFormat, MaskHeader } from '../../preload/contract.js';
import { describeError, unwrap } from '../api/callApi.js';
import { inferenceDeviceFor, type DeviceChoice } from '../api/gpuDevice.js';
import { loadMask, loadVolume } from '../data/loadData.js';
import { initialWindow } from '../display/windowPresets.js';
import type { Axis, Vec3, ViewName } from '../geometry/types.js';
import type { SegmentationCommand, SegmentationStore } from '../segmentation/types.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import { planeAxes } from '../geometry/planeAxes.js';
import { recordCine } from '../views/recordCine.js';
import { waitForSlice } from '../views/waitForSlice.js';
import { startSegmentationSession } from './startSegmentationSession.js';
import type { ViewerAction, ViewerState } from './viewerState.js';

export type DesktopApi = NonNullable<Window['axial']>;

export interface ViewerActions {
  openScan(source: 'file' | 'folder'): void;
  /** Opens what main registered behind a token (a drop, a Recent menu item). */
  openToken(dropToken: string): void;
  openDropped(files: readonly File[]): void;
  loadSeries(scanId: string, seriesIndex: number): void;
  openLabels(): void;
  runModel(model: 'demo' | 'choose', device: DeviceChoice): void;
  cancelJob(): void;
  exportLabels(format: ExportFormat): void;
  exportPng(view: ViewName): void;
  /** Saves a picture drawn elsewhere (the 3D view) through the same PNG export, as "<scan>-<label>.png". */
  exportPicture(render: () => Promise<Uint8Array<ArrayBuffer>>, label: string): void;
  /** Adds a segment (creating an empty segmentation first when there is none) and makes it the active one. */
  addSegment(): void;
  /** Any other change to the segmentation: rename, recolour, lock, delete, clean-ups, undo, redo. */
  edit(command: SegmentationCommand): void;
  /** A brush or eraser drag in a view: start, move and end, at a voxel index. */
  paint(phase: 'start' | 'move' | 'end', index: Vec3, planeAxis: Axis): void;
  restoreRecovery(): void;
  discardRecovery(): void;
  /** Records `view` stepping through every slice at `fps` as WebM, and asks where to save it. */
  recordCine(view: ViewName, fps: number): Promise<void>;
}

interface Context {
  readonly api: DesktopApi | null;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly state: RefObject<ViewerState>;
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
}

/** The viewer's calls to main, each reporting failure in words through the error banner. */
export function useViewerActions(context: Context): ViewerActions {
  const { api, dispatch, state, renderers } = context;
  const stopSession = useRef<(() => void) | null>(null);
  const actions = useMemo(() => createActions({ api, dispatch, state, renderers }, stopSession), [api, dispatch, state, renderers]);
  useEffect(() => subscribeToSegmentation({ api, dispatch, state, renderers }, actions), [api, dispatch, state, renderers, actions]);
  useEffect(() => () => stopSession.current?.(), []);
  useEffect(() => subscribeToMenu(api, actions), [api, actions]);
  return actions;
}

type ActionsWithMask = ViewerActions & { showMask(a: AxialApi, header: MaskHeader, status: string): Promise<SegmentationStore | null> };

function createActions(context: Context, stopSession: { current: (() => void) | null }): ActionsWithMask {
  const { api, dispatch, state, renderers } = context;
  /** Runs an async step, turning any failure into a sentence for the user. */
  const attempt = (what: string, step: (api: DesktopApi) => Promise<void>): void => {
    if (!api) {
      dispatch({ type: 'error', message: `${what}: the viewer is not connected to Axial (window.axial is missing).` });
      return;
    }
    step(api).catch((error: unknown) => dispatch({ type: 'error', message: describeError(what, error) }));
  };

  const loadSeries = (scanId: string, seriesIndex: number): void =>
    attempt('Could not load the series', async (a) => {
      dispatch({ type: 'busy', message: 'Loading series…' });
      const header = await unwrap(a['volume:load']({ scanId, seriesIndex }));
      const volume = await loadVolume(header);
      const voi = initialWindow({
        modality: header.modality,
        units: header.units,
        filePresets: header.windowPresets,
        voxels: volume.voxels,
        range: header.range,
      });
      dispatch({ type: 'volumeLoaded', volume, voi });
    });

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
        dispatch({ type: 'busy', message: 'Opening labels…' });
        const header = await unwrap(a['mask:open']({ volumeId: volume.header.volumeId }));
        dispatch({ type: 'busy', message: null });
        if (header) await showMask(a, header, `Opened ${header.name}`);
      }),
    runModel: (model, device) =>
      attempt('Could not run the model', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('open a scan first');
        if (state.current.job) throw new Error('a model is already running');
        const platform = navigator.platform || navigator.userAgent;
        const { jobId } = await unwrap(
          a['segmentation:run']({ volumeId: volume.header.volumeId, model, device: inferenceDeviceFor(device, platform) }),
        );
        dispatch({ type: 'jobStarted', jobId });
      }),
    cancelJob: () =>
      attempt('Could not cancel', async (a) => {
        const job = state.current.job;
        if (!job) return;
        dispatch({ type: 'jobCancelling' });
        const { cancelled } = await unwrap(a['segmentation:cancel']({ jobId: job.jobId }));
        if (cancelled && state.current.job?.jobId === job.jobId) {
          dispatch({ type: 'jobEnded' });
          dispatch({ type: 'status', message: 'Model run cancelled' });
        }
      }),
    showMask,
    exportLabels: (format) =>
      attempt('Could not export the segmentation', async (a) => {
        const session = state.current.segmentation;
        if (!session) throw new Error('there is no segmentation to export');
        const saved = await unwrap(a['mask:export']({ maskId: session.maskId, format }));
        const warnings = saved.warnings?.length ? ` (${saved.warnings.join('; ')})` : '';
        if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the segmentation'}${warnings}` });
      }),
    addSegment: () =>
      attempt('Could not add a segment', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('open a scan first');
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
    recordCine: (view, fps) =>
      new Promise<void>((done) =>
        attempt('Could not record the cine', async (a) => {
          try {
            const renderer = renderers.get(view);
            const volume = state.current.volume;
            if (!renderer?.scene || !volume) throw new Error('there is no view to record');
            const { sliceAxis, slices } = planeAxes(volume.header, view);
            const start = state.current.cursor;
            const element = renderer.canvas.parentElement!;
            const show = async (slice: number): Promise<void> => {
              const index = [start[0], start[1], start[2]];
              index[sliceAxis] = slice;
              dispatch({ type: 'cursor', index: [index[0]!, index[1]!, index[2]!] });
              await waitForSlice(element, slice);
            };
            const webm = await recordCine({ canvas: renderer.canvas, show }, Array.from({ length: slices }, (_, n) => n), fps);
            dispatch({ type: 'cursor', index: start });
            const base = (volume.header.description || 'axial').replace(/[^\w.-]+/g, '_').slice(0, 80);
            const saved = await unwrap(a['view:exportMovie']({ webm, suggestedName: `${base}-${view}-cine.webm` }));
            if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the cine'}` });
          } finally {
            done();
          }
        }),
      ),
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
    exportPng: (view) =>
      attempt('Could not export the picture', async (a) => {
        const renderer = renderers.get(view);
        const scene = renderer?.scene;
        if (!renderer || !scene) throw new Error('there is no picture to export');
        const png = await renderer.toPng();
        const base = (scene.volume.header.description || 'axial').replace(/[^\w.-]+/g, '_').slice(0, 80);
        const suggestedName = `${base}-${view}-${scene.slice + 1}.png`;
        const saved = await unwrap(a['view:exportPng']({ png, suggestedName }));
        if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? suggestedName}` });
      }),
    exportPicture: (render, label) =>
      attempt('Could not export the picture', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('there is no picture to export');
        const png = await render();
        const base = (volume.header.description || 'axial').replace(/[^\w.-]+/g, '_').slice(0, 80);
        const suggestedName = `${base}-${label}.png`;
        const saved = await unwrap(a['view:exportPng']({ png, suggestedName }));
        if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? suggestedName}` });
      }),
  };

}

/** Follows the running model: progress into the state, the result onto the views as soon as it is done. */
function subscribeToSegmentation(context: Context, actions: ActionsWithMask): () => void {
  const { api, dispatch, state } = context;
  if (!api) return () => {};
  const offProgress = api.on('segmentation:progress', (progress) => dispatch({ type: 'jobProgress', progress }));
  const offDone = api.on('segmentation:done', ({ jobId, result }) => {
    const job = state.current.job;
    if (job?.jobId !== jobId) return;
    if (!result.ok) {
      dispatch({ type: 'jobEnded' });
      if (job.cancelling) dispatch({ type: 'status', message: 'Model run cancelled' });
      else dispatch({ type: 'error', message: describeError('The model run failed', new Error(result.error.message)) });
      return;
    }
    const { provider, seconds } = result.value;
    actions
      .showMask(api, result.value, `Segmented in ${seconds.toFixed(1)} s (${provider})`)
      .then(() => dispatch({ type: 'jobEnded' }))
      .catch((error: unknown) => {
        dispatch({ type: 'jobEnded' });
        dispatch({ type: 'error', message: describeError('Could not show the model result', error) });
      });
  });
  return () => {
    offProgress();
    offDone();
  };
}

/** The app menu's `menu:command` event (outside the contract; the preload forwards it): File › Open…, Recent, Export. */
interface MenuCommand {
  readonly command: string;
  readonly dropToken?: string;
}

function subscribeToMenu(api: DesktopApi | null, actions: ViewerActions): () => void {
  if (!api) return () => {};
  const on = api.on as unknown as (event: 'menu:command', listener: (payload: MenuCommand) => void) => () => void;
  try {
    return on('menu:command', ({ command, dropToken }) => {
      if (command === 'openFile') actions.openScan('file');
      else if (command === 'openFolder') actions.openScan('folder');
      else if (command === 'openRecent' && dropToken) actions.openToken(dropToken);
      else if (command === 'exportSegmentation') actions.exportLabels('nifti');
      else if (command === 'undo' || command === 'redo') actions.edit({ type: command });
    });
  } catch {
    // A host without an app menu (the test host) refuses the event name.
    return () => {};
  }
}
