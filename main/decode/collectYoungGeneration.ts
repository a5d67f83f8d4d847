import { runInNewContext } from 'node:vm';
import { withV8Flag } from '../dicom/codecs/withV8Flag.js';

/**
 * Returns a function that collects the calling thread's young generation (a V8 scavenge, well
 * under a millisecond for a decode worker's small heap).
 *
 * A codec may leave a buffer behind for every frame: OpenJPEG's getDecodedBuffer returns a fresh
 * copy, which the worker then copies into the frame it sends. V8 frees such buffers only once tens of
 * MiB of them have piled up, so on a 512x512x300 JPEG 2000 series two workers held about 50 MiB of
 * them at the load's peak. `gc` is exposed to one new context only, and the flag is turned off again
 * at once, so no other context sees it. Where V8 did not expose it, the function does nothing.
 */
export async function collectYoungGeneration(): Promise<() => void> {
  const gc: unknown = await withV8Flag('--expose-gc', () => runInNewContext('globalThis.gc'));
  return typeof gc === 'function' ? () => gc({ type: 'minor' }) : () => undefined;
}
