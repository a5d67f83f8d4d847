import { useCallback, useState, type Dispatch, type RefObject } from 'react';
import type { ViewerActions } from '../actions/useViewerActions.js';
import { useCine, type Cine } from '../state/useCine.js';
import type { TimePoints } from '../time/useTimePoints.js';
import type { ViewerAction, ViewerState } from '../state/viewerState.js';
import { planeAxes } from '../geometry/planeAxes.js';
import type { SliceRenderer } from '../views/sliceRenderer.js';
import type { ViewName } from '../geometry/types.js';

/** Cine playback through the active view, and recording it as a movie (playback pauses while recording). */
export interface CineRecording {
  readonly cine: Cine;
  readonly recording: boolean;
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

/** Cine for the active view: steps it while playing, and records it at the cine's frame rate on request. */
export function useCineRecording({ stateRef, hasVolume, dispatch, actions, time, renderers }: Params): CineRecording {
  const [recording, setRecording] = useState(false);
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
  const cine = useCine(step, hasVolume && !recording, (time?.timePoints ?? 1) > 1, drawn);
  const onRecord = useCallback(() => {
    setRecording(true);
    void actions.recordCine(stateRef.current.activeView, cine.fps).finally(() => setRecording(false));
  }, [actions, cine.fps, stateRef]);
  return { cine, recording, onRecord };
}
