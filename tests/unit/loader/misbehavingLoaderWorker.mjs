// A loader worker for the specs: it never answers a request whose path ends in "silent", and answers any
// other with a failure nobody raised on purpose (a TypeError's stack), as a bug in the real worker would.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (request) => {
  if (request.type === 'forget' || request.path.endsWith('silent')) return;
  const failure = { code: undefined, message: 'TypeError: boom\n    at answer (loaderWorker.js:1:1)', file: undefined };
  parentPort.postMessage({ type: 'failed', id: request.id, failure });
});
