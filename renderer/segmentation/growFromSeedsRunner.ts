import { createGrowFromSeedsSession } from '../../core/segmentation/createGrowFromSeedsSession.js';
import type { GrowFromSeedsOptions, SeedMap } from '../../core/segmentation/growFromSeedsTypes.js';
import { growClass } from './growFromSeedsClass.js';
import type { GrownClass, GrowWorkerAnswer, GrowWorkerRequest } from './growFromSeedsMessages.js';

/** One grow session in a worker. */
export interface GrowFromSeedsRunner {
  /**
   * Grows a seed map (handed over: do not use it afterwards) and masks `seedClass` over the grid.
   * @throws Error with the grow's code and message when it fails
   */
  grow(seeds: SeedMap, seedClass: number): Promise<GrownClass>;
  /** Ends the worker. */
  dispose(): void;
}

/** A grow lost with a worker that could not load; grow again (the runner now grows on the page's thread). */
export const GROW_RETRY = 'GROW_RETRY';

/**
 * Starts a grow-from-seeds session in a Web Worker, handing it the scan
 * (`makeImage()`'s array, transferred), so the page keeps answering while a
 * big box grows; the worker also makes the mask the page proposes. Where no
 * worker can start or load (e.g. refused by the page's origin), the session
 * runs on this thread instead, on a new `makeImage()`; a grow sent to a
 * worker that failed to load is rejected with code {@link GROW_RETRY}. One
 * grow at a time: callers wait for the last before the next.
 */
export function createGrowFromSeedsRunner(settings: Omit<GrowFromSeedsOptions, 'image'>, makeImage: () => GrowFromSeedsOptions['image']): GrowFromSeedsRunner {
  let worker: Worker;
  try {
    worker = new Worker(new URL('../workers/growFromSeeds.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return sameThread({ ...settings, image: makeImage() });
  }
  let fallback: GrowFromSeedsRunner | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (grown: GrownClass) => void; reject: (error: Error) => void }>();
  worker.onmessage = (event: MessageEvent<GrowWorkerAnswer>) => {
    const answer = event.data;
    const call = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.ok) call?.resolve(answer.grown);
    else (call ? [call] : [...waiting.values()]).forEach((c) => c.reject(Object.assign(new Error(answer.message), { code: answer.code })));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    fallback ??= sameThread({ ...settings, image: makeImage() });
    for (const c of waiting.values()) c.reject(Object.assign(new Error('the grow worker could not run'), { code: GROW_RETRY }));
    waiting.clear();
  };
  const image = makeImage();
  const start: GrowWorkerRequest = { type: 'start', options: { ...settings, image } };
  worker.postMessage(start, { transfer: [image.buffer] });
  return {
    grow(seeds, seedClass) {
      if (fallback) return fallback.grow(seeds, seedClass);
      const id = next++;
      return new Promise<GrownClass>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: GrowWorkerRequest = { type: 'grow', id, seeds, seedClass };
        worker.postMessage(request, { transfer: [seeds.buffer] });
      });
    },
    dispose: () => {
      worker.terminate();
      fallback?.dispose();
    },
  };
}

function sameThread(options: GrowFromSeedsOptions): GrowFromSeedsRunner {
  const session = createGrowFromSeedsSession(options);
  return {
    grow: (seeds, seedClass) => Promise.resolve().then(() => growClass(session, seeds, seedClass, options.dimensions, false)),
    dispose: () => undefined,
  };
}
