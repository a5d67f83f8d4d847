import type { EventTypes } from '../../core/contract.js';

/** A scan (`volume:open` reading headers) or a load (`volume:load` decoding a series) under way, in files. */
export interface LoadProgress {
  /** This scan's or load's own number: a late end or reveal of an earlier one changes nothing. */
  readonly id: number;
  readonly phase: EventTypes['volume:progress']['phase'];
  readonly done: number;
  /** 0 until main's first progress event. */
  readonly total: number;
  /** The bar shows (a while after the start, so that quick loads do not flash it). */
  readonly shown: boolean;
  /** The user chose Cancel; the call has not ended yet. */
  readonly cancelling: boolean;
}

export type LoadAction =
  | { readonly type: 'loadStarted'; readonly id: number; readonly phase: LoadProgress['phase'] }
  | { readonly type: 'loadProgress'; readonly progress: EventTypes['volume:progress'] }
  | { readonly type: 'loadShown'; readonly id: number }
  | { readonly type: 'loadCancelling'; readonly id: number }
  | { readonly type: 'loadEnded'; readonly id: number };

/** How long a scan or load runs before its bar shows, in ms. */
export const loadBarDelayMs = 250;

/**
 * The next load state. Progress counts only for the phase under way: main's
 * last event of a scan may arrive after its answer, when the load has begun.
 */
export function loadReducer(load: LoadProgress | null, action: LoadAction): LoadProgress | null {
  switch (action.type) {
    case 'loadStarted':
      return { id: action.id, phase: action.phase, done: 0, total: 0, shown: false, cancelling: false };
    case 'loadProgress': {
      const { phase, done, total } = action.progress;
      if (!load || load.phase !== phase || !(total >= 0)) return load;
      return { ...load, total, done: Math.min(total, Math.max(0, done)) };
    }
    case 'loadShown':
      return load?.id === action.id && !load.shown ? { ...load, shown: true } : load;
    case 'loadCancelling':
      return load?.id === action.id && !load.cancelling ? { ...load, cancelling: true } : load;
    case 'loadEnded':
      return load?.id === action.id ? null : load;
  }
}

/** The bar's words, for clinicians: "Reading series… 120 of 300 files", "Loading images… 120 of 300 files". */
export function loadProgressText(load: LoadProgress): string {
  if (load.cancelling) return 'Cancelling…';
  const what = load.phase === 'scanning' ? 'Reading series…' : 'Loading images…';
  if (load.total === 0) return what;
  return `${what} ${load.done} of ${load.total} ${load.total === 1 ? 'file' : 'files'}`;
}
