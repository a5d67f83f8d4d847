/// <reference lib="webworker" />
import { createGrowFromSeedsSession, type GrowFromSeedsSession } from '../../core/segmentation/createGrowFromSeedsSession.js';
import type { GrowFromSeedsOptions } from '../../core/segmentation/growFromSeedsTypes.js';
import { growClass } from '../segmentation/growFromSeedsClass.js';
import type { GrowWorkerAnswer, GrowWorkerRequest } from '../segmentation/growFromSeedsMessages.js';

/**
 * Grow from seeds off the page's thread. 'start' hands over the scan (and the
 * options); each 'grow' grows a seed map (transferred) in the same session, so
 * strokes that only add seeds reuse the last result; the labels of the box
 * come back as one class's whole-grid mask, transferred.
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
    if (!session || !options) throw new Error('grow before start');
    const grown = growClass(session, request.seeds, request.seedClass, options.dimensions, true);
    const answer: GrowWorkerAnswer = { ok: true, id: request.id, grown };
    self.postMessage(answer, { transfer: [grown.mask.buffer] });
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
