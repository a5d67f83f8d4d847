import { describe, expect, it } from 'vitest';
import { loadProgressText, loadReducer, type LoadProgress } from '../../../../renderer/state/loadProgress.js';
import { initialViewerState, viewerReducer } from '../../../../renderer/state/viewerState.js';

const started = (id: number, phase: LoadProgress['phase']): LoadProgress => loadReducer(null, { type: 'loadStarted', id, phase })!;

describe('loadReducer', () => {
  it('starts each scan or load from nothing counted and hidden, and counts its phase’s files', () => {
    let load = started(3, 'loading');
    expect(load).toEqual({ id: 3, phase: 'loading', done: 0, total: 0, shown: false, cancelling: false });
    load = loadReducer(load, { type: 'loadProgress', progress: { phase: 'loading', done: 120, total: 300 } })!;
    expect([load.done, load.total]).toEqual([120, 300]);
    // A scan's last event, arriving once the load has begun, is not the load's.
    expect(loadReducer(load, { type: 'loadProgress', progress: { phase: 'scanning', done: 300, total: 300 } })).toBe(load);
    // Counts past the total (or below 0) are clamped, a NaN total ignored.
    expect(loadReducer(load, { type: 'loadProgress', progress: { phase: 'loading', done: 301, total: 300 } })!.done).toBe(300);
    expect(loadReducer(load, { type: 'loadProgress', progress: { phase: 'loading', done: -1, total: 300 } })!.done).toBe(0);
    expect(loadReducer(load, { type: 'loadProgress', progress: { phase: 'loading', done: 1, total: Number.NaN } })).toBe(load);
    // Nothing under way: progress shows nothing.
    expect(loadReducer(null, { type: 'loadProgress', progress: { phase: 'loading', done: 1, total: 2 } })).toBeNull();
  });

  it('shows, cancels and ends only its own scan or load, never an earlier one’s', () => {
    let load = started(2, 'scanning');
    expect(loadReducer(load, { type: 'loadShown', id: 1 })).toBe(load);
    load = loadReducer(load, { type: 'loadShown', id: 2 })!;
    expect(load.shown).toBe(true);
    expect(loadReducer(load, { type: 'loadCancelling', id: 1 })).toBe(load);
    load = loadReducer(load, { type: 'loadCancelling', id: 2 })!;
    expect(load.cancelling).toBe(true);
    expect(loadReducer(load, { type: 'loadEnded', id: 1 })).toBe(load);
    expect(loadReducer(load, { type: 'loadEnded', id: 2 })).toBeNull();
  });

  it('lives in the viewer’s state, which stays the same object when nothing changed', () => {
    const s = viewerReducer(initialViewerState, { type: 'loadStarted', id: 1, phase: 'loading' });
    expect(s.load?.phase).toBe('loading');
    expect(viewerReducer(s, { type: 'loadEnded', id: 7 })).toBe(s);
    expect(viewerReducer(s, { type: 'loadEnded', id: 1 }).load).toBeNull();
  });
});

describe('loadProgressText', () => {
  it('says what is happening and how many files of how many, in words', () => {
    const scanning = { ...started(1, 'scanning'), done: 120, total: 300 };
    expect(loadProgressText(scanning)).toBe('Reading series… 120 of 300 files');
    expect(loadProgressText({ ...scanning, phase: 'loading' })).toBe('Loading images… 120 of 300 files');
    expect(loadProgressText({ ...scanning, done: 0, total: 1 })).toBe('Reading series… 0 of 1 file');
    expect(loadProgressText(started(1, 'loading'))).toBe('Loading images…');
    expect(loadProgressText({ ...scanning, cancelling: true })).toBe('Cancelling…');
  });
});
