// A decode worker for createDecodePool.test.ts: the real one (dist's decodeWorker.js), and beside it a
// listener that misbehaves for jobs whose file is named hang, throw, exit or oom. The real listener is
// attached first (a port drops what arrives before a listener); its answer is asynchronous, so the
// poisoned listener, which runs synchronously after it, gets in first.
import { parentPort } from 'node:worker_threads';
import '../../../dist/main/decode/decodeWorker.js';

parentPort.on('message', (request) => {
  const poison = request.file.replace(/^.*\//, '');
  if (poison === 'hang') for (;;);
  if (poison === 'throw') throw new Error('poisoned');
  if (poison === 'exit') process.exit(3);
  if (poison === 'oom') {
    const hoard = [];
    for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => ({ i })));
  }
});
