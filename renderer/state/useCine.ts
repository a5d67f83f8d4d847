import { useEffect, useRef, useState } from 'react';

export interface Cine {
  readonly playing: boolean;
  readonly fps: number;
  toggle(): void;
  setFps(fps: number): void;
}

/**
 * Plays through slices at `fps` while on: calls `step` (next slice, wrapping
 * at the end) once per frame. Stops when `enabled` turns false.
 */
export function useCine(step: () => void, enabled: boolean): Cine {
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(10);
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(() => {
    if (!playing || !enabled) return;
    const timer = setInterval(() => stepRef.current(), 1000 / fps);
    return () => clearInterval(timer);
  }, [playing, enabled, fps]);
  useEffect(() => {
    if (!enabled) setPlaying(false);
  }, [enabled]);
  return { playing: playing && enabled, fps, toggle: () => setPlaying((p) => !p), setFps: (f) => setFps(Math.min(60, Math.max(1, Math.round(f)))) };
}
