import { useEffect, useRef, useState } from 'react';

/** What cine steps through: the active view's slices, or a 4D series' time points (same slice). */
export type CineMode = 'slices' | 'time';

export interface Cine {
  readonly playing: boolean;
  readonly fps: number;
  readonly mode: CineMode;
  /** Whether the volume shown has time points to play ('time' is offered only then). */
  readonly timeAvailable: boolean;
  toggle(): void;
  setFps(fps: number): void;
  setMode(mode: CineMode): void;
}

/** How long a step waits for its picture before the cine goes on anyway (a view that never draws must not stop it). */
const drawnWaitMs = 1000;

/**
 * Plays at `fps` while on: calls `step` with the mode (next slice, or next time point; each
 * wraps at the end) once per frame, and never again before that step is rendered (a step that
 * changes nothing shown must still re-render the caller) and `drawn` says its picture is on
 * screen (within a second). Stops when `enabled` turns false, and ignores `toggle` while it is;
 * waits while a pointer is held down in a view (data-slice), so that a brush stroke stays on its
 * slice; 'time' falls back to 'slices' when the volume has no time points.
 */
export function useCine(step: (mode: CineMode) => void, enabled: boolean, timeAvailable = false, drawn: () => boolean = () => true): Cine {
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(10);
  const [chosenMode, setMode] = useState<CineMode>('slices');
  const mode = timeAvailable ? chosenMode : 'slices';
  const stepRef = useRef(step);
  stepRef.current = step;
  const drawnRef = useRef(drawn);
  drawnRef.current = drawn;
  const steppedAt = useRef(0);
  // Whether the last step has been rendered. On a busy machine two ticks can come before one render, and React would
  // batch both steps into it: a slice would be skipped unseen. A tick waits for the render instead (the cine slows).
  const shown = useRef(true);
  useEffect(() => {
    shown.current = true;
  });
  // A pointer held down in a view (a brush stroke, a drag) pauses the stepping: a stroke stays on the slice it began on.
  const gesture = useRef(false);
  useEffect(() => {
    const down = (event: PointerEvent): void => {
      if (event.target instanceof Element && event.target.closest('[data-slice]')) gesture.current = true;
    };
    const up = (): void => {
      gesture.current = false;
    };
    // A release the window never hears (it lost focus, the pointer capture went elsewhere) ends the pause too.
    // The window's own blur is heard without capture: an element losing focus as a stroke starts must not end it.
    const ends = ['pointerup', 'pointercancel', 'lostpointercapture'] as const;
    window.addEventListener('pointerdown', down, true);
    for (const end of ends) window.addEventListener(end, up, true);
    window.addEventListener('blur', up);
    return () => {
      window.removeEventListener('pointerdown', down, true);
      for (const end of ends) window.removeEventListener(end, up, true);
      window.removeEventListener('blur', up);
    };
  }, []);
  useEffect(() => {
    if (!playing || !enabled) return;
    const timer = setInterval(() => {
      // React's render is not yet the picture: the view draws after it, and a busy machine may draw the next step first.
      if (gesture.current || !shown.current || (!drawnRef.current() && performance.now() - steppedAt.current < drawnWaitMs)) return;
      shown.current = false;
      steppedAt.current = performance.now();
      stepRef.current(mode);
    }, 1000 / fps);
    return () => clearInterval(timer);
  }, [playing, enabled, fps, mode]);
  useEffect(() => {
    if (!enabled) setPlaying(false);
  }, [enabled]);
  return {
    playing: playing && enabled,
    fps,
    mode,
    timeAvailable,
    // While disabled (recording, no volume) a toggle is ignored: it must not start the cine later on its own.
    toggle: () => {
      if (enabled) setPlaying((p) => !p);
    },
    setFps: (f) => setFps(Math.min(60, Math.max(1, Math.round(f)))),
    setMode,
  };
}
