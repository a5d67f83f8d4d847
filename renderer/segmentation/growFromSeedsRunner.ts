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

/**
 * Starts a grow-from-seeds session in a Web Worker, handing it the scan
 * (transferred: `options.image` is unusable here afterwards), so the page
 * keeps answering while a big box grows; the worker also makes the mask the
 * page proposes. Where no worker can start, the session runs on this thread
 * instead. One grow at a time: callers wait for the last before the next.
 */
export function createGrowFromSeedsRunner(options: GrowFromSeedsOptions): GrowFromSeedsRunner {
  let worker: Worker;
  try {
    worker = new Worker(new URL('../workers/growFromSeeds.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return sameThread(options);
  }
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
    for (const c of waiting.values()) c.reject(new Error('the grow worker stopped'));
    waiting.clear();
  };
  const start: GrowWorkerRequest = { type: 'start', options };
  worker.postMessage(start, { transfer: [options.image.buffer] });
  return {
    grow(seeds, seedClass) {
      const id = next++;
      return new Promise<GrownClass>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: GrowWorkerRequest = { type: 'grow', id, seeds, seedClass };
        worker.postMessage(request, { transfer: [seeds.buffer] });
      });
    },
    dispose: () => worker.terminate(),
  };
}

function sameThread(options: GrowFromSeedsOptions): GrowFromSeedsRunner {
  const session = createGrowFromSeedsSession(options);
  return {
    grow: (seeds, seedClass) => Promise.resolve().then(() => growClass(session, seeds, seedClass, options.dimensions)),
    dispose: () => undefined,
  };
}
