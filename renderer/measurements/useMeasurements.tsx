import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import type { Measurement, MeasurementPlane } from '../../core/contract.js';
import { createMeasurementActions } from '../actions/createMeasurementActions.js';
import { describeError } from '../api/callApi.js';
import { worldToIndex } from '../../core/geometry/indexToWorld.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { isSameSeries } from '../data/isSameSeries.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { EditTool, ViewerAction } from '../state/viewerState.js';
import { MeasurementOverlay } from './MeasurementOverlay.js';
import { isMeasureTool, type MeasureToolKind, type ViewGeometry } from '../views/ViewGeometry.js';
import { measureGesture, type Draft } from './measureGesture.js';
import { measurementPlaneOf } from './measurementPlane.js';
import { initialMeasurementState, measurementReducer, nextMeasurementName, type MeasurementState } from './measurementState.js';
import { measureShape, remeasureAll } from './measureShape.js';
import { roiScopeOf, type RoiScope } from './roiScopeOf.js';
import type { MeasuredViews } from './useMeasuredViews.js';

interface Params extends MeasuredViews {
  readonly api: DesktopApi | null;
  readonly volume: LoadedVolume | null;
  readonly tool: EditTool;
  readonly dispatch: (action: ViewerAction) => void;
}

/** What App wires into the views and the side bar. */
export interface Measurements {
  readonly state: MeasurementState;
  /** The last revision main has saved. */
  readonly savedRevision: number;
  /** Viewport's `onMeasurePointer`. */
  onPointer(phase: 'down' | 'move' | 'up', g: ViewGeometry, at: { row: number; column: number }): void;
  /** Viewport's `overlay`. */
  overlay(g: ViewGeometry): ReactNode;
  chooseTool(kind: MeasureToolKind | 'navigate'): void;
  select(id: string): void;
  rename(id: string, name: string): void;
  remove(id: string): void;
  exportCsv(): void;
  /** What an ROI's statistics count against what its view shows now, for the list and the label on the image. */
  scopeOf(m: Measurement): RoiScope;
}

/** Freehand vertices are at least this far apart on screen (CSS px). */
const freehandStepCss = 2;

/**
 * The measurements of the loaded volume: drawing (pointer events from the
 * views), the list (rename, delete), saving every change to main (the
 * sidecar), CSV export, and the keys L, A, O, F (tools), Delete (the
 * selected measurement), Escape (the shape being drawn).
 */
export function useMeasurements({ api, volume, tool, dispatch, standardViews, slabPlanes }: Params): Measurements {
  const [state, update] = useReducer(measurementReducer, initialMeasurementState);
  const [savedRevision, setSavedRevision] = useState(0);
  const draft = useRef<Draft | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  const resetRevision = useRef(-1);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a fresh cache of measurement planes for each volume.
  const planes = useMemo(() => new WeakMap<ViewPlane, MeasurementPlane>(), [volume]);
  const measured = useMemo(() => (volume ? { geometry: volume.header, voxels: volume.voxels } : null), [volume]);

  const shownVolume = useRef<LoadedVolume | null>(null);
  useEffect(() => {
    // Another time point of the series shown keeps the list on screen (main's copy in its header may be older:
    // a time point fetched ahead was loaded before the latest drawing); its values are measured again on it.
    const list = isSameSeries(shownVolume.current, volume) ? stateRef.current.items : (volume?.header.measurements ?? []);
    shownVolume.current = volume;
    const { items, dropped } = measured ? remeasureAll(list, measured) : { items: [], dropped: [] };
    draft.current = null;
    resetRevision.current = stateRef.current.revision + 1;
    update({ type: 'reset', volumeId: volume?.header.volumeId ?? null, items });
    if (dropped.length) dispatch({ type: 'status', message: `Left out measurements that could not be measured: ${dropped.join(', ')}` });
  }, [volume, measured, dispatch]);

  useEffect(() => {
    const { volumeId, items, revision } = state;
    if (revision === resetRevision.current) return setSavedRevision(revision);
    if (!api || !volumeId) return;
    createMeasurementActions({ api, dispatch, queue: saving }).save(volumeId, items, () => setSavedRevision((saved) => Math.max(saved, revision)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the three fields of state it reads are listed; a new draft alone saves nothing.
  }, [api, state.items, state.revision, state.volumeId, dispatch]);

  useEffect(() => {
    if (!isMeasureTool(tool.kind) && draft.current) {
      draft.current = null;
      update({ type: 'draft', draft: null });
    }
  }, [tool.kind]);

  const onPointer = useCallback<Measurements['onPointer']>(
    (phase, g, at) => {
      if (!volume || !measured || !isMeasureTool(tool.kind)) return;
      let plane = planes.get(g.plane);
      if (!plane) planes.set(g.plane, (plane = measurementPlaneOf(volume.header, g.plane)));
      const a = g.cssFromPixel(0, 0);
      const b = g.cssFromPixel(0, 1);
      const minStep = freehandStepCss / (Math.hypot(b.x - a.x, b.y - a.y) || 1);
      // A plane that is not the view's standard one is resampled: turned, or a tilted scan's sagittal on square pixels.
      const view = standardViews.includes(g.view) ? g.view : `${g.view} oblique`;
      const next = measureGesture(draft.current, { phase, kind: tool.kind, view, plane, at: { column: at.column, row: at.row }, minStep });
      draft.current = next.draft;
      update({ type: 'draft', draft: next.draft });
      if (!next.done) return;
      try {
        const values = measureShape(next.done, measured);
        const id = `m${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
        update({ type: 'add', measurement: { ...next.done, id, name: nextMeasurementName(stateRef.current.items, next.done.kind), values } });
      } catch (error) {
        dispatch({ type: 'error', message: describeError('Could not measure that shape', error) });
      }
    },
    [volume, measured, tool.kind, planes, standardViews, dispatch],
  );

  const scopeOf = useCallback((m: Measurement): RoiScope => (volume ? roiScopeOf(m, slabPlanes, volume.header) : 'shown'), [volume, slabPlanes]);

  const overlay = useCallback(
    (g: ViewGeometry): ReactNode =>
      volume ? (
        <MeasurementOverlay
          g={g}
          geometry={volume.header}
          items={state.items}
          selected={state.selected}
          draft={state.draft}
          range={volume.header.range}
          scopeOf={scopeOf}
        />
      ) : null,
    [volume, state.items, state.selected, state.draft, scopeOf],
  );

  const select = useCallback(
    (id: string) => {
      update({ type: 'select', id });
      const m = stateRef.current.items.find((item) => item.id === id);
      if (!m || !volume) return;
      // Moves the crosshair to the shape's centre, so the views show the slice it lies on.
      const centre = m.points.reduce<Vec3>(
        (sum, p) => [sum[0] + p[0] / m.points.length, sum[1] + p[1] / m.points.length, sum[2] + p[2] / m.points.length],
        [0, 0, 0],
      );
      dispatch({ type: 'cursor', index: worldToIndex(volume.header, m.kind === 'ellipse' ? (m.points[0] as Vec3) : centre) });
    },
    [volume, dispatch],
  );

  const exportCsv = useCallback(() => {
    const volumeId = stateRef.current.volumeId;
    if (!api || !volumeId) return;
    createMeasurementActions({ api, dispatch, queue: saving }).exportCsv(volumeId);
  }, [api, dispatch]);

  const chooseTool = useCallback((kind: MeasureToolKind | 'navigate') => dispatch({ type: 'tool', tool: { kind } }), [dispatch]);
  const rename = useCallback((id: string, name: string) => update({ type: 'rename', id, name }), []);
  const remove = useCallback((id: string) => update({ type: 'delete', id }), []);

  useMeasureShortcuts(
    chooseTool,
    () => {
      const { selected } = stateRef.current;
      if (selected) remove(selected);
    },
    () => {
      draft.current = null;
      update({ type: 'draft', draft: null });
    },
  );

  return { state, savedRevision, onPointer, overlay, chooseTool, select, rename, remove, exportCsv, scopeOf };
}

/** L line, A angle, O ellipse, F freehand; Delete deletes the selected measurement; Escape drops the shape being drawn. Not in text fields. */
function useMeasureShortcuts(chooseTool: (kind: MeasureToolKind) => void, deleteSelected: () => void, cancelDraft: () => void): void {
  const handlers = useRef({ chooseTool, deleteSelected, cancelDraft });
  handlers.current = { chooseTool, deleteSelected, cancelDraft };
  useEffect(() => {
    const keys: Record<string, MeasureToolKind> = { l: 'line', a: 'angle', o: 'ellipse', f: 'freehand' };
    const keydown = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const kind = keys[event.key.toLowerCase()];
      if (kind) handlers.current.chooseTool(kind);
      else if (event.key === 'Delete') handlers.current.deleteSelected();
      else if (event.key === 'Escape') return handlers.current.cancelDraft();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keydown);
    return () => window.removeEventListener('keydown', keydown);
  }, []);
}
