import { releaseBuffer } from './releaseBuffer.js';

/**
 * releaseBuffer for `view`'s buffer where it is all the view's own (not a slice of a larger one, such as a message
 * read from a pipe with the next one's bytes behind it) and can go (not shared, not a WebAssembly memory's): letting
 * go early only saves memory, so a buffer that cannot go is left to the garbage collector. Returns whether it went.
 */
export function releaseOwnBuffer(view: ArrayBufferView): boolean {
  const { buffer } = view;
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || view.byteOffset !== 0 || view.byteLength !== buffer.byteLength) return false;
  try {
    releaseBuffer(buffer);
    return true;
  } catch {
    return false;
  }
}
