/// <reference lib="webworker" />
import { fillBetweenSlices, type FillBetweenSlicesParams } from '../../core/segmentation/fillBetweenSlices.js';

/**
 * Fill between slices off the page's thread (a 512×512×300 grid takes about
 * a second): one request per message, the mask sent back transferred.
 */
self.onmessage = (event: MessageEvent<FillBetweenSlicesParams>) => {
  try {
    const result = fillBetweenSlices(event.data);
    self.postMessage({ ok: true, result }, { transfer: [result.mask.buffer] });
  } catch (error) {
    self.postMessage({ ok: false, message: (error as Error).message });
  }
};
