import { parentPort, workerData } from 'node:worker_threads';
import { releaseBuffer } from '../../io/releaseBuffer.js';
import { leaderSlots } from '../inference/leaderStore.js';
import { sweepLeaders } from '../inference/sweepLeaders.js';
import { createWindowLeaders, type WindowLeaders } from '../inference/windowLeaders.js';
import type { RunnerReply, SweepRequest, SweepWorkerData } from './onnxRunnerMessages.js';
import { plainInferenceError } from './plainInferenceError.js';

/**
 * Worker entry of createOnnxRunnerInWorker's leaders sweep: each output the network's thread sends is swept into its
 * patches' leaders, or why they cannot be made (sweepLeaders), which goes to the caller; the output is dropped here, and
 * the network's thread hears that it is gone.
 */
const caller = parentPort!;
const { port, modelPath } = workerData as SweepWorkerData;
/** The room each patch is listed into (50 MB for a 96³ window), kept from one output to the next until a trim. */
let room: WindowLeaders | undefined;

port.on('message', (request: SweepRequest | null) => {
  if (request === null) {
    room = undefined;
    return;
  }
  const { id, output, count, channels, size, seconds } = request;
  try {
    if (room?.count.length !== size) room = createWindowLeaders(size, leaderSlots);
    const batch = sweepLeaders(output, count, channels, size, room);
    const transfer = 'lists' in batch ? batch.lists.map((l) => l.count.buffer as ArrayBuffer) : [];
    const fromTail = !(output instanceof Float32Array);
    caller.postMessage({ type: 'swept', id, batch, seconds, fromTail } satisfies RunnerReply, transfer);
  } catch (error) {
    caller.postMessage({ type: 'error', id, error: plainInferenceError(error, 'leaders sweep', modelPath), seconds } satisfies RunnerReply);
  } finally {
    for (const buffer of new Set(output instanceof Float32Array ? [output.buffer] : [output.values.buffer, output.ids.buffer, output.sums.buffer])) {
      releaseBuffer(buffer as ArrayBuffer);
    }
    port.postMessage(id);
  }
});
