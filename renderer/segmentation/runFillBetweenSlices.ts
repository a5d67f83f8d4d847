import { fillBetweenSlices, type FillBetweenSlicesParams, type FillBetweenSlicesResult } from '../../core/segmentation/fillBetweenSlices.js';

type WorkerAnswer = { readonly ok: true; readonly result: FillBetweenSlicesResult } | { readonly ok: false; readonly message: string };

/**
 * Fill between slices in a Web Worker (the labels are copied to it), so the
 * page keeps answering on big grids; where no worker can start, on this
 * thread instead. One worker per call, ended when it answers.
 * @throws Error with the fill's message when it fails
 */
export function runFillBetweenSlices(params: FillBetweenSlicesParams): Promise<FillBetweenSlicesResult> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('../workers/fillBetweenSlices.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve().then(() => fillBetweenSlices(params));
  }
  return new Promise<FillBetweenSlicesResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerAnswer>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.result);
      else reject(new Error(event.data.message));
    };
    // A worker that cannot load (e.g. refused by the page's origin) fails here: fill on this thread.
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      try {
        resolve(fillBetweenSlices(params));
      } catch (error) {
        reject(error as Error);
      }
    };
    worker.postMessage(params);
  });
}
