/// <reference lib="webworker" />
import { createGrowFromSeedsSession, type GrowFromSeedsSession } from '../../core/segmentation/createGrowFromSeedsSession.js';
import type { GrowFromSeedsOptions } from '../../core/segmentation/growFromSeedsTypes.js';
import type { GrowWorkerAnswer, GrowWorkerRequest } from '../segmentation/growFromSeedsMessages.js';

/**
 * Grow from seeds off the page's thread. 'start' hands over the scan (and the
 * options); each 'grow' grows a seed map (transferred) in the same session, so
 * strokes that only add seeds reuse the last result; the labels of the box
 * come back transferred.
 */
let options: GrowFromSeedsOptions | null = null;
let session: GrowFromSeedsSession | null = null;

self.onmessage = (event: MessageEvent<GrowWorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'start') {
      options = request.options;
      session = createGrowFromSeedsSession(options);
      return;
    }
    if (!session) throw new Error('grow before start');
    const started = performance.now();
    const result = session.grow(request.seeds);
    const answer: GrowWorkerAnswer = { ok: true, id: request.id, result, ms: performance.now() - started };
    self.postMessage(answer, { transfer: [result.labels.buffer] });
  } catch (error) {
    const { code } = error as { code?: string };
    const answer: GrowWorkerAnswer = {
      ok: false,
      id: request.type === 'grow' ? request.id : -1,
      code: code ?? 'GROW_FAILED',
      message: (error as Error).message,
    };
    self.postMessage(answer);
  }
};
