import { createGrowFromSeedsSession } from '../../core/segmentation/createGrowFromSeedsSession.js';
import type { GrowFromSeedsOptions, GrowFromSeedsResult, SeedMap } from '../../core/segmentation/growFromSeedsTypes.js';
import type { GrowWorkerAnswer, GrowWorkerRequest } from './growFromSeedsMessages.js';

/** A grown result with the time the grow took where it ran (ms). */
export interface TimedGrow {
  readonly result: GrowFromSeedsResult;
  readonly ms: number;
}

/** One grow session in a worker. */
export interface GrowFromSeedsRunner {
  /**
   * Grows a seed map (handed over: do not use it afterwards).
   * @throws Error with the grow's code and message when it fails
   */
  grow(seeds: SeedMap): Promise<TimedGrow>;
  /** Ends the worker. */
  dispose(): void;
}

/**
 * Starts a grow-from-seeds session in a Web Worker, handing it the scan
 * (transferred: `options.image` is unusable here afterwards), so the page
 * keeps answering while a big box grows; where no worker can start, the
 * session runs on this thread instead. One grow at a time: callers wait for
 * the last before the next.
 */
export function createGrowFromSeedsRunner(options: GrowFromSeedsOptions): GrowFromSeedsRunner {
  let worker: Worker;
  try {
    worker = new Worker(new URL('../workers/growFromSeeds.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return sameThread(options);
  }
  const live = worker;
  let next = 0;
  const waiting = new Map<number, { resolve: (grown: TimedGrow) => void; reject: (error: Error) => void }>();
  live.onmessage = (event: MessageEvent<GrowWorkerAnswer>) => {
    const answer = event.data;
    const call = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.ok) call?.resolve({ result: answer.result, ms: answer.ms });
    else (call ? [call] : [...waiting.values()]).forEach((c) => c.reject(Object.assign(new Error(answer.message), { code: answer.code })));
  };
  live.onerror = (event) => {
    event.preventDefault();
    for (const c of waiting.values()) c.reject(new Error('the grow worker stopped'));
    waiting.clear();
  };
  const start: GrowWorkerRequest = { type: 'start', options };
  live.postMessage(start, { transfer: [options.image.buffer] });
  return {
    grow(seeds) {
      const id = next++;
      return new Promise<TimedGrow>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: GrowWorkerRequest = { type: 'grow', id, seeds };
        live.postMessage(request, { transfer: [seeds.buffer] });
      });
    },
    dispose: () => live.terminate(),
  };
}

function sameThread(options: GrowFromSeedsOptions): GrowFromSeedsRunner {
  const session = createGrowFromSeedsSession(options);
  return {
    grow: (seeds) =>
      Promise.resolve().then(() => {
        const started = performance.now();
        const result = session.grow(seeds);
        return { result, ms: performance.now() - started };
      }),
    dispose: () => undefined,
  };
}
