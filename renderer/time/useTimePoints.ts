import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch } from 'react';
import { describeError, unwrap } from '../api/callApi.js';
import type { DesktopApi } from '../api/DesktopApi.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { loadVolume } from '../data/loadData.js';
import type { SegmentationSession, ViewerAction } from '../state/viewerState.js';
import { createTimePointLoader } from './createTimePointLoader.js';

/** The time axis of the 4D series shown: where it is, and how to move along it. */
export interface TimePoints {
  /** 0-based. */
  readonly timePoint: number;
  /** 1 for a 3D series (then nothing shows and the steps do nothing). */
  readonly timePoints: number;
  /** A time point is being fetched (cine waits for it rather than queueing more). */
  readonly loading: boolean;
  goTo(timePoint: number): void;
  /** One step forward or back, wrapping at the ends. */
  step(delta: number): void;
  /** Cine's frame: the next time point, unless one is still being fetched (frames wait; they do not queue). */
  advance(): void;
}

interface Params {
  readonly api: DesktopApi | null;
  readonly volume: LoadedVolume | null;
  /** The segmentation shown: it follows the time point drawn (its tools' values, its statistics). */
  readonly segmentation?: SegmentationSession | null;
  readonly dispatch: Dispatch<ViewerAction>;
}

/**
 * Moves the shown 4D series along time: each time point is loaded through `volume:load`
 * (the next one prefetched) and replaces only the voxels (timePointLoaded), so the slice, window,
 * views and segmentation stay. Ctrl+← / Ctrl+→ step it (the page's [ and ] are the slab's).
 */
export function useTimePoints({ api, volume, segmentation, dispatch }: Params): TimePoints {
  const timePoints = volume?.header.timePoints ?? 1;
  const shownTimePoint = volume?.header.timePoint ?? 0;
  const source = volume?.source;
  const scanId = source?.scanId;
  const seriesIndex = source?.seriesIndex;
  const [wanted, setWanted] = useState<number | null>(null);
  const latest = useRef(0);
  const loader = useMemo(() => {
    if (!api || scanId === undefined || seriesIndex === undefined || timePoints <= 1) return null;
    return createTimePointLoader(async (timePoint: number): Promise<LoadedVolume> => {
      const header = await unwrap(api['volume:load']({ scanId, seriesIndex, timePoint }));
      return { ...(await loadVolume(header)), source: { scanId, seriesIndex } };
    });
  }, [api, scanId, seriesIndex, timePoints]);
  useEffect(() => {
    if (!loader || !volume) return;
    loader.put(shownTimePoint, volume);
    // The next one is fetched while this one is looked at: a step (or cine's next frame) is then at hand.
    loader.prefetch((shownTimePoint + 1) % timePoints);
  }, [loader, volume, shownTimePoint, timePoints]);

  // The volume in the state is the one drawn (a time point still loading is not), so the segmentation follows it.
  const followVolume = segmentation?.followVolume;
  useEffect(() => {
    if (volume) followVolume?.(volume);
  }, [followVolume, volume]);

  const shownRef = useRef(shownTimePoint);
  shownRef.current = wanted ?? shownTimePoint;
  const goTo = useCallback(
    (target: number): void => {
      if (!loader) return;
      const t = ((Math.round(target) % timePoints) + timePoints) % timePoints;
      const request = ++latest.current;
      setWanted(t);
      loader
        .get(t)
        .then((next) => {
          if (request !== latest.current) return;
          dispatch({ type: 'timePointLoaded', volume: next });
          setWanted(null);
        })
        .catch((error: unknown) => {
          if (request !== latest.current) return;
          setWanted(null);
          dispatch({ type: 'error', message: describeError(`Could not load time point ${t + 1}`, error) });
        });
    },
    [loader, timePoints, dispatch],
  );
  const step = useCallback((delta: number) => goTo(shownRef.current + delta), [goTo]);
  const loadingRef = useRef(false);
  loadingRef.current = wanted !== null;
  const advance = useCallback(() => {
    if (!loadingRef.current) step(1);
  }, [step]);

  useEffect(() => {
    if (!loader) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (!event.ctrlKey || event.altKey || event.metaKey || target?.closest('input, textarea, select')) return;
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      event.preventDefault();
      step(event.key === 'ArrowRight' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [loader, step]);

  return { timePoint: wanted ?? shownTimePoint, timePoints, loading: wanted !== null, goTo, step, advance };
}
