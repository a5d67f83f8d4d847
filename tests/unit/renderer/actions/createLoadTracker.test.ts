import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiCallError } from '../../../../renderer/api/callApi.js';
import { createLoadTracker, isLoadCancelled } from '../../../../renderer/actions/createLoadTracker.js';
import type { ViewerAction } from '../../../../renderer/state/viewerState.js';

/** A step that ends when the test says. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('createLoadTracker', () => {
  let log: string[];
  const dispatch = (action: ViewerAction): void => void log.push(`${action.type}${'id' in action ? ` ${action.id}` : ''}`);
  beforeEach(() => {
    log = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('shows the bar only once a load has run 250 ms, so quick loads do not flash it', async () => {
    const tracker = createLoadTracker(dispatch);
    const quick = deferred<string>();
    const first = tracker.track('scanning', () => quick.promise);
    await vi.advanceTimersByTimeAsync(249);
    quick.resolve('scan');
    expect(await first).toBe('scan');
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual(['loadStarted 1', 'loadEnded 1']);

    const slow = deferred<string>();
    const second = tracker.track('loading', () => slow.promise);
    await vi.advanceTimersByTimeAsync(250);
    expect(log.slice(2)).toEqual(['loadStarted 2', 'loadShown 2']);
    slow.resolve('volume');
    expect(await second).toBe('volume');
    expect(log.slice(4)).toEqual(['loadEnded 2']);
  });

  it('answers LOAD_CANCELLED for a cancelled load even when main finished it, and tells the step it was cancelled', async () => {
    const tracker = createLoadTracker(dispatch);
    expect(tracker.cancel()).toBe(false);
    const step = deferred<string>();
    let askedAfter: boolean | undefined;
    const run = tracker.track('loading', async (cancelled) => {
      const value = await step.promise;
      askedAfter = cancelled();
      return value;
    });
    expect(tracker.cancel()).toBe(true);
    // A second Esc while cancelling sends nothing more.
    expect(tracker.cancel()).toBe(false);
    step.resolve('finished anyway');
    const error = await run.catch((e: unknown) => e);
    expect(isLoadCancelled(error)).toBe(true);
    expect(askedAfter).toBe(true);
    expect(log).toEqual(['loadStarted 1', 'loadCancelling 1', 'loadEnded 1']);
    expect(tracker.cancel()).toBe(false);
  });

  it('passes other failures on as they are, and ends the load', async () => {
    const tracker = createLoadTracker(dispatch);
    const error = await tracker
      .track('loading', () => Promise.reject(new ApiCallError('DICOM_CORRUPT_PIXEL_DATA', 'a.dcm: bad frame')))
      .catch((e: unknown) => e);
    expect((error as ApiCallError).code).toBe('DICOM_CORRUPT_PIXEL_DATA');
    expect(isLoadCancelled(error)).toBe(false);
    expect(isLoadCancelled(new Error('LOAD_CANCELLED'))).toBe(false);
    expect(log).toEqual(['loadStarted 1', 'loadEnded 1']);
  });
});
