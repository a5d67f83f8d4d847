import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { releaseBuffer } from '../../io/releaseBuffer.js';
import { createOnnxRunner, type OnnxRunner } from './createOnnxRunner.js';
import { createSweepGate } from './createSweepGate.js';
import type { RunnerReply, RunnerRequest, RunnerWorkerData, SweepRequest } from './onnxRunnerMessages.js';
import { plainInferenceError, type PlainError } from './plainInferenceError.js';
import type { TopLeaders } from '../inference/topLeaders.js';

/** Worker entry of createOnnxRunnerInWorker: one session, its runs one at a time in the order asked. */
const port = parentPort!;
const data = workerData as RunnerWorkerData;
const post = (reply: RunnerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);

const plainError = (error: unknown): PlainError => plainInferenceError(error, 'inference worker', data.modelPath);

/** The leaders sweep's port, and what it has yet to let go of: two outputs alive at most (see createSweepGate). */
let sweeper: MessagePort | undefined;
const gate = createSweepGate(2);
/** Runs before this one that are not started yet are answered unrun (see the 'skip' request). */
let skipBelow = 0;

async function handle(runner: OnnxRunner, request: Exclude<RunnerRequest, { type: 'skip' | 'stop' }>): Promise<void> {
  if (request.type === 'trim') {
    request.outputs.forEach(releaseBuffer);
    // The sweep lets go of its room too.
    sweeper?.postMessage(null);
    return runner.trim();
  }
  if (request.type === 'sweeper') {
    sweeper = request.port;
    sweeper.on('message', () => gate.swept());
    // The sweep's thread gone, nothing waits for room it will never make.
    sweeper.on('close', () => gate.open());
    return;
  }
  if (request.type === 'release') {
    // Whatever onnxruntime says, the caller hears back and the thread ends.
    await runner.release().catch(() => undefined);
    post({ type: 'released' });
    sweeper?.close();
    port.close();
    return;
  }
  if (request.drop) releaseBuffer(request.drop);
  // A run skipped already does not wait for the sweep.
  if (request.sweep && request.id >= skipBelow) await gate.room();
  if (request.id < skipBelow) {
    post({
      type: 'error',
      id: request.id,
      error: { code: 'INFERENCE_CANCELLED', message: 'not run: the run it belonged to has stopped', file: data.modelPath },
    });
    return;
  }
  const started = performance.now();
  try {
    const { id, input, count, roi } = request;
    const run = async (): Promise<Float32Array<ArrayBuffer>> => (await runner.runBatch(input, count, roi)) as Float32Array<ArrayBuffer>;
    const elapsed = (): number => (performance.now() - started) / 1000;
    // createOnnxRunner's outputs are ArrayBuffer views (onnxruntime's own array, as it returns it): this one's buffer goes
    // to the caller's thread without a copy and comes back to be dropped, or to the sweep's, which drops it.
    if (!request.sweep) {
      const output = await run();
      post({ type: 'output', id, output, seconds: elapsed() }, [output.buffer]);
      return;
    }
    // With a leaders tail, the batch gives its leading classes (or, a value not finite, its output: see runLeaders).
    const output = ((await runner.runLeaders(input, count, roi)) ?? (await run())) as Float32Array<ArrayBuffer> | TopLeaders;
    const buffers = output instanceof Float32Array ? [output.buffer] : [...new Set([output.values.buffer, output.ids.buffer, output.sums.buffer])];
    const toSweep: SweepRequest = { id, output, count, channels: request.sweep.channels, size: roi[0] * roi[1] * roi[2], seconds: elapsed() };
    // The 'sweeper' request comes before any run to sweep.
    sweeper!.postMessage(toSweep, buffers as ArrayBuffer[]);
    gate.sent();
  } catch (error) {
    post({ type: 'error', id: request.id, error: plainError(error) });
  }
}

try {
  const runner = await createOnnxRunner(data.modelPath, data.device, data.spec, {
    rewrite: data.rewrite,
    sessionOverrides: data.sessionOverrides,
    leadersTail: data.leadersTail,
    onWarning: (message) => post({ type: 'warning', message }),
  });
  const { provider, skipped, inputName, outputName, fixedBatch, layout, graphRewrite } = runner;
  let queue = Promise.resolve();
  port.on('message', (message: RunnerRequest) => {
    // On arrival, not in turn: the runs they skip are queued before them.
    if (message.type === 'skip') {
      skipBelow = Math.max(skipBelow, message.below);
      return;
    }
    if (message.type === 'stop') {
      skipBelow = Number.POSITIVE_INFINITY;
      gate.open();
    }
    const request = message.type === 'stop' ? ({ type: 'release' } as const) : message;
    // A failure outside a run's own try still answers that run, so its caller never waits for ever.
    queue = queue
      .then(() => handle(runner, request))
      .catch((error: unknown) => post({ type: 'error', id: request.type === 'run' ? request.id : null, error: plainError(error) }));
  });
  post({ type: 'ready', runner: { provider, skipped, inputName, outputName, fixedBatch, layout, graphRewrite } });
} catch (error) {
  post({ type: 'error', id: null, error: plainError(error) });
  port.close();
}
