// A loader worker for the specs: it never answers a request whose path ends in "silent"; one whose path ends in
// "fifo" it opens as a plain open() of a FIFO does, holding a thread of libuv's pool in open(2) until a writer comes
// (Worker.terminate() waits for that thread), and reports progress once the open is under way; any other it answers
// with a failure nobody raised on purpose (a TypeError's stack), as a bug in the real worker would.
import { open } from 'node:fs/promises';
import { setTimeout } from 'node:timers';
import { parentPort } from 'node:worker_threads';

parentPort.on('message', async (request) => {
  if (request.type === 'forget' || request.path.endsWith('silent')) return;
  if (request.path.endsWith('fifo')) {
    const opening = open(request.path, 'r');
    // The pool thread takes the open up at once; the pause only makes sure it is in the call when the spec goes on.
    setTimeout(() => parentPort.postMessage({ type: 'progress', progress: { phase: 'scanning', done: 0, total: 1 } }), 200);
    await (await opening).close();
  }
  const failure = { code: undefined, message: 'TypeError: boom\n    at answer (loaderWorker.js:1:1)', file: undefined };
  parentPort.postMessage({ type: 'failed', id: request.id, failure });
});
