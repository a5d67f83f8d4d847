import { unwrap } from '../api/callApi.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import { planeAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import { recordCine } from '../views/recordCine.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import { waitForSlice } from '../views/waitForSlice.js';
import type { ActionContext } from './ActionContext.js';

export interface ViewActionContext extends Pick<ActionContext, 'attempt' | 'dispatch' | 'state'> {
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
}

/** Pictures and movies of the views (`view:` calls). */
export interface ViewActions {
  exportPng(view: ViewName): void;
  /** Saves a picture drawn elsewhere (the 3D view) through the same PNG export, as "<scan>-<label>.png". */
  exportPicture(render: () => Promise<Uint8Array<ArrayBuffer>>, label: string): void;
  /** Records `view` stepping through every slice at `fps` as WebM, and asks where to save it. */
  recordCine(view: ViewName, fps: number): Promise<void>;
}

/** The viewer's picture and movie exports: a view as PNG, the 3D view's picture, a cine loop as WebM. */
export function createViewActions(context: ViewActionContext): ViewActions {
  const { attempt, dispatch, state, renderers } = context;
  const savePng = async (a: DesktopApi, png: Uint8Array<ArrayBuffer>, suggestedName: string): Promise<void> => {
    const saved = await unwrap(a['view:exportPng']({ png, suggestedName }));
    if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? suggestedName}` });
  };
  return {
    recordCine: (view, fps) => new Promise<void>((done) => attempt('Could not record the cine', (a) => recordViewCine(context, a, view, fps).finally(done))),
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

async function recordViewCine(context: ViewActionContext, a: DesktopApi, view: ViewName, fps: number): Promise<void> {
  const { dispatch, state, renderers } = context;
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
  const webm = await recordCine(
    { canvas: renderer.canvas, show },
    Array.from({ length: slices }, (_, n) => n),
    fps,
  );
  dispatch({ type: 'cursor', index: start });
  const saved = await unwrap(a['view:exportMovie']({ webm, suggestedName: `${fileBaseOf(volume.header.description)}-${view}-cine.webm` }));
  if (saved.saved) dispatch({ type: 'status', message: `Saved ${saved.fileName ?? 'the cine'}` });
}

/** A file name's start from the scan's description: word characters, dots and dashes only, at most 80. */
function fileBaseOf(description: string): string {
  return (description || 'axial').replace(/[^\w.-]+/g, '_').slice(0, 80);
}
