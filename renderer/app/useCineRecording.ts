import { useCallback, useRef, useState, type Dispatch, type RefObject } from 'react';
import type { UnsavedCine } from '../actions/createViewActions.js';
import type { ViewerActions } from '../actions/useViewerActions.js';
import { useCine, type Cine } from '../state/useCine.js';
import type { TimePoints } from '../time/useTimePoints.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';
import { planeAxes } from '../geometry/planeAxes.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { ViewName } from '../geometry/types.js';

/** Where recording stands, for the cine controls. */
export interface RecordingState {
  readonly active: boolean;
  /** Why Record is off now (the 3D view is active, no video encoder), or null when it can record. */
  readonly unavailable: string | null;
  /** A movie recorded but not saved (its save failed): it can be saved again or dropped. */
  readonly unsaved: UnsavedCine | null;
  cancel(): void;
  saveAgain(): void;
  discard(): void;
}

/** Cine playback through the active view, and recording it as a movie (playback pauses while recording). */
export interface CineRecording {
  readonly cine: Cine;
  readonly recording: RecordingState;
  readonly onRecord: () => void;
}

interface Params {
  /** The viewer state now (read when a step or a recording starts). */
  readonly stateRef: RefObject<ViewerState>;
  readonly hasVolume: boolean;
  readonly dispatch: Dispatch<ViewerAction>;
  readonly actions: ViewerActions;
  /** A 4D series' time axis: cine's 'time' mode steps it. */
  readonly time?: TimePoints;
  /** The 2D views' renderers, whose elements say which slice they last drew. */
  readonly renderers: ReadonlyMap<ViewName, SliceRenderer>;
}

/** Cine for the active view: steps it while playing, and records it (its slices, or time points in 'time' mode) at the cine's frame rate on request. */
export function useCineRecording({ stateRef, hasVolume, dispatch, actions, time, renderers }: Params): CineRecording {
  const [active, setActive] = useState(false);
  const [unsaved, setUnsaved] = useState<UnsavedCine | null>(null);
  const abort = useRef<AbortController | null>(null);
  const step = (mode: 'slices' | 'time'): void => {
    if (mode === 'time') time?.advance();
    else dispatch({ type: 'cineStep', view: stateRef.current.activeView });
  };
  // The active view has drawn the slice the cine last stepped to (time points have no such mark: they go by render).
  const drawn = (): boolean => {
    const { volume, activeView, cursor } = stateRef.current;
    const renderer = renderers.get(activeView);
    if (!volume || !renderer) return true;
    return renderer.drawnSlice === String(cursor[planeAxes(volume.header, activeView).sliceAxis]);
  };
  const cine = useCine(step, hasVolume && !active, (time?.timePoints ?? 1) > 1, drawn);
  const goToTimePoint = time?.goTo;
  const onRecord = useCallback(() => {
    if (abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    setActive(true);
    setUnsaved(null);
    const request = { view: stateRef.current.activeView, fps: cine.fps, mode: cine.mode, goToTimePoint, signal: controller.signal };
    void actions
      .recordCine(request)
      .then(setUnsaved)
      .finally(() => {
        abort.current = null;
        setActive(false);
      });
  }, [actions, cine.fps, cine.mode, goToTimePoint, stateRef]);
  const saveAgain = useCallback(() => {
    if (unsaved) void actions.saveCine(unsaved).then((left) => setUnsaved(left ?? null));
  }, [actions, unsaved]);
  const unavailable =
    typeof VideoEncoder === 'undefined'
      ? 'This viewer cannot encode video on this computer, so it cannot record a movie'
      : stateRef.current.active3d
        ? 'Record works on a 2D view: click an axial, coronal or sagittal view first'
        : null;
  const recording: RecordingState = {
    active,
    unavailable,
    unsaved,
    cancel: () => abort.current?.abort(),
    saveAgain,
    discard: () => setUnsaved(null),
  };
  return { cine, recording, onRecord };
}
