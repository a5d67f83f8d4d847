import { unwrap } from '../api/callApi.js';
import { isSameSeries } from '../data/isSameSeries.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import { planeAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import { recordCine } from '../views/recordCine.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { ActionContext } from './ActionContext.js';

/** What to record: a view at a frame rate, through its slices or (mode 'time') the 4D series' time points. */
export interface CineRecordRequest {
  readonly view: ViewName;
  readonly fps: number;
  readonly mode: 'slices' | 'time';
  /** Shows a time point of the 4D series (mode 'time'). */
  readonly goToTimePoint?: (timePoint: number) => void;
  /** Cancels the recording (nothing is saved). */
  readonly signal: AbortSignal;
}

/** An encoded movie whose save failed: kept so that it can be saved elsewhere. */
export interface UnsavedCine {
  readonly webm: Uint8Array<ArrayBuffer>;
  readonly suggestedName: string;
  /** Why the last save failed, for the Details disclosure. */
  readonly failure?: string;
}

export interface ViewActionContext extends Pick<ActionContext, 'attempt' | 'dispatch' | 'state'> {
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
}

/** Pictures and movies of the views (`view:` calls). */
export interface ViewActions {
  exportPng(view: ViewName): void;
  /** Saves a picture drawn elsewhere (the 3D view) through the same PNG export, as "<scan>-<label>.png". */
  exportPicture(render: () => Promise<Uint8Array<ArrayBuffer>>, label: string): void;
  /**
   * Records `view` stepping through every slice (or a 4D series' time points) at `fps` as WebM, and asks where
   * to save it. Resolves the movie when it was encoded but could not be saved (to offer saving it again), else null.
   */
  recordCine(request: CineRecordRequest): Promise<UnsavedCine | null>;
  /** Saves a movie whose save failed; resolves it again if this save fails too or its dialog is cancelled. */
  saveCine(movie: UnsavedCine): Promise<UnsavedCine | null>;
}

/** The viewer's picture and movie exports: a view as PNG, the 3D view's picture, a cine loop as WebM. */
export function createViewActions(context: ViewActionContext): ViewActions {
  const { attempt, dispatch, state, renderers } = context;
  const savePng = async (a: DesktopApi, png: Uint8Array<ArrayBuffer>, suggestedName: string): Promise<void> => {
    const saved = await unwrap(a['view:exportPng']({ png, suggestedName }));
    if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? suggestedName}` });
  };
  return {
    recordCine: (request) => runCineStep(attempt, 'Could not record the cine', (a) => recordViewCine(context, a, request)),
    saveCine: (movie) => runCineStep(attempt, 'Could not save the movie', (a) => saveMovie(context, a, movie, true)),
    exportPng: (view) =>
      attempt('Could not export the picture', async (a) => {
        const renderer = renderers.get(view);
        const scene = renderer?.scene;
        if (!renderer || !scene) throw new Error('there is no picture to export');
        const png = await renderer.toPng();
        await savePng(a, png, `${fileBaseOf(scene.volume.header.description)}-${view}-${scene.slice + 1}.png`);
      }),
    exportPicture: (render, label) =>
      attempt('Could not export the picture', async (a) => {
        const volume = state.current.volume;
        if (!volume) throw new Error('there is no picture to export');
        const png = await render();
        await savePng(a, png, `${fileBaseOf(volume.header.description)}-${label}.png`);
      }),
  };
}

async function recordViewCine(context: ViewActionContext, a: DesktopApi, request: CineRecordRequest): Promise<UnsavedCine | null> {
  const { dispatch, state, renderers } = context;
  const { view, fps, mode, signal } = request;
  const renderer = renderers.get(view);
  const volume = state.current.volume;
  if (!renderer?.scene || !volume || state.current.active3d) throw new Error('there is no slice view to record');
  const { sliceAxis, slices } = planeAxes(volume.header, view);
  const start = state.current.cursor;
  const element = renderer.canvas.parentElement!;
  const stopped = (): CineRecordingStopped | null => {
    if (signal.aborted) return new CineRecordingStopped('Recording cancelled. Nothing was saved.');
    const now = state.current.volume;
    if (now !== volume && !isSameSeries(now, volume)) return new CineRecordingStopped('Recording stopped because another scan was opened. Nothing was saved.');
    // Another view picked in a one-view layout unmounts this one: its canvas would never draw another frame.
    if (renderers.get(view) !== renderer || !element.isConnected)
      return new CineRecordingStopped(`Recording stopped because the ${view} view was closed. Nothing was saved.`);
    return null;
  };
  const timePoints = volume.header.timePoints ?? 1;
  const byTime = mode === 'time' && timePoints > 1 && request.goToTimePoint !== undefined;
  // Each frame waits for its picture, but never past a cancel, another scan or the view closing: those stop the
  // recording at once. A picture that never comes (a time point that failed to load) stops it too, rather than
  // encoding the previous picture again.
  const until = (drawn: () => boolean, what: string, failed: () => boolean = () => false): Promise<void> =>
    new Promise((resolve, reject) => {
      const deadline = performance.now() + (byTime ? timePointWaitMs : sliceWaitMs);
      const check = (): void => {
        const stop = stopped();
        if (stop) reject(stop);
        else if (drawn()) resolve();
        else if (failed()) reject(new Error(`${what} could not be loaded, so the recording stopped and nothing was saved`));
        else if (performance.now() > deadline) reject(new Error(`${what} was not drawn in time, so the recording stopped and nothing was saved`));
        else requestAnimationFrame(check);
      };
      check();
    });
  const slice = String(start[sliceAxis]);
  const show = async (frame: number): Promise<void> => {
    const stop = stopped();
    if (stop) throw stop;
    if (byTime) {
      if (state.current.volume?.header.timePoint === frame && element.dataset['slice'] === slice) return;
      // The view has the time point's voxels once the state holds them and it has drawn since (data-rendered counts its pictures).
      const rendered = element.dataset['rendered'];
      const errorBefore = state.current.error;
      request.goToTimePoint!(frame);
      await until(
        () => state.current.volume?.header.timePoint === frame && element.dataset['rendered'] !== rendered && element.dataset['slice'] === slice,
        `Time point ${frame + 1}`,
        () => state.current.error !== errorBefore && (state.current.error?.startsWith(`Could not load time point ${frame + 1}`) ?? false),
      );
      return;
    }
    const index = [start[0], start[1], start[2]];
    index[sliceAxis] = frame;
    dispatch({ type: 'cursor', index: [index[0]!, index[1]!, index[2]!] });
    await until(() => element.dataset['slice'] === String(frame), `Slice ${frame + 1}`);
  };
  let webm: Uint8Array<ArrayBuffer>;
  try {
    webm = await recordCine({ canvas: renderer.canvas, show, interrupted: stopped }, byTime ? timePoints : slices, fps);
  } catch (error) {
    if (!(error instanceof CineRecordingStopped)) throw error;
    dispatch({ type: 'status', message: error.message });
    return null;
  } finally {
    if (state.current.volume === volume || isSameSeries(state.current.volume, volume)) dispatch({ type: 'cursor', index: start });
  }
  return saveMovie(context, a, { webm, suggestedName: `${fileBaseOf(volume.header.description)}-${view}-cine.webm` });
}

/** How long a frame waits for its slice to be drawn, and for a time point to load and be drawn. */
const sliceWaitMs = 5000;
const timePointWaitMs = 60_000;

/**
 * Asks where to save the movie; a failed save keeps it (returned) so that it can be saved elsewhere, and so does a
 * cancelled dialog when `keepIfCancelled` (Save movie again…: the user only chose not to save it there).
 */
async function saveMovie(context: ViewActionContext, a: DesktopApi, movie: UnsavedCine, keepIfCancelled = false): Promise<UnsavedCine | null> {
  const result = await a['view:exportMovie']({ webm: movie.webm, suggestedName: movie.suggestedName });
  if (!result.ok) {
    context.dispatch({
      type: 'error',
      message: 'The movie was recorded but could not be saved there (a folder, read-only or full?). It is kept: choose “Save movie again…”.',
    });
    return { ...movie, failure: `${result.error.code}: ${result.error.message}` };
  }
  if (!result.value.saved) return keepIfCancelled ? movie : null;
  context.dispatch({ type: 'status', message: `Saved ${result.value.fileName ?? 'the cine'}` });
  return null;
}

/** A recording ended on purpose (cancelled, or the scan changed): said as status, not as an error. */
class CineRecordingStopped extends Error {}

/** Runs a cine step through `attempt` (its errors go to the banner) and resolves what it returned, or null when it failed. */
function runCineStep<T>(attempt: ViewActionContext['attempt'], what: string, step: (a: DesktopApi) => Promise<T | null>): Promise<T | null> {
  return new Promise((done) => {
    let result: T | null = null;
    attempt(what, async (a) => {
      try {
        result = await step(a);
      } finally {
        done(result);
      }
    });
  });
}

/** A file name's start from the scan's description: word characters, dots and dashes only, at most 80. */
function fileBaseOf(description: string): string {
  return (description || 'axial').replace(/[^\w.-]+/g, '_').slice(0, 80);
}
