import { MessageChannel, type MessagePort } from 'node:worker_threads';

/** A port whose other end is closed: what is transferred to it is dropped, and its memory with it. */
let sink: MessagePort | undefined;

/**
 * Lets a buffer's memory go now instead of at V8's next collection: the buffer is transferred (so
 * detached here) in a message to a closed port, which drops it on the next turn of the event loop.
 * V8 counts a dead buffer's memory only as external pressure, and on a 512x512x300 JPEG 2000
 * series it let tens of MiB of OpenJPEG's per-frame copies pile up in each decode worker.
 * The buffer must not be used after, and must be one this thread may transfer (not a WebAssembly
 * memory's).
 */
export function releaseBuffer(buffer: ArrayBuffer): void {
  if (sink === undefined) {
    const channel = new MessageChannel();
    channel.port2.close();
    sink = channel.port1;
    // The sink never keeps a thread alive.
    sink.unref();
  }
  sink.postMessage(null, [buffer]);
}
