import { parentPort, workerData } from 'node:worker_threads';
import { releaseBuffer } from '../../io/releaseBuffer.js';
import { sweepLeaders } from '../inference/sweepLeaders.js';
import type { RunnerReply, SweepRequest, SweepWorkerData } from './onnxRunnerMessages.js';
import { plainInferenceError } from './plainInferenceError.js';

/**
 * Worker entry of createOnnxRunnerInWorker's leaders sweep: each output the network's thread sends is swept into its
 * patches' leaders (sweepLeaders), which go to the caller, and the output is let go of; an output it cannot list goes
 * to the caller as it is. Either way the network's thread then hears that the output has left.
 */
const caller = parentPort!;
const { port, modelPath } = workerData as SweepWorkerData;

port.on('message', ({ id, output, count, channels, size, seconds }: SweepRequest) => {
  try {
    const lists = sweepLeaders(output, count, channels, size);
    if (lists) {
      releaseBuffer(output.buffer);
      caller.postMessage(
        { type: 'leaders', id, lists, seconds } satisfies RunnerReply,
        lists.map((l) => l.count.buffer as ArrayBuffer),
      );
    } else {
      caller.postMessage({ type: 'output', id, output, seconds } satisfies RunnerReply, [output.buffer]);
    }
  } catch (error) {
    caller.postMessage({ type: 'error', id, error: plainInferenceError(error, 'leaders sweep', modelPath) } satisfies RunnerReply);
  } finally {
    port.postMessage(id);
  }
});
