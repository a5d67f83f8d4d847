import { unwrap } from '../api/callApi.js';
import { planeAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';
import { recordCine } from '../views/recordCine.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import { waitForSlice } from '../views/waitForSlice.js';
import type { Attempt } from './createAttempt.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';

export interface PictureContext {
  readonly attempt: Attempt;
  readonly dispatch: (action: ViewerAction) => void;
  readonly state: { readonly current: ViewerState };
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
}

export interface PictureActions {
  exportPng(view: ViewName): void;
  /** Saves a picture drawn elsewhere (the 3D view) through the same PNG export, as "<scan>-<label>.png". */
  exportPicture(render: () => Promise<Uint8Array<ArrayBuffer>>, label: string): void;
  /** Records `view` stepping through every slice at `fps` as WebM, and asks where to save it. */
  recordCine(view: ViewName, fps: number): Promise<void>;
}

/** The viewer's picture and movie exports: a view as PNG, the 3D view's picture, a cine loop as WebM. */
export function createPictureActions(context: PictureContext): PictureActions {
  const { attempt, dispatch, state, renderers } = context;
  return {
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
