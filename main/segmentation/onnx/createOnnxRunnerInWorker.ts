import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { AxialError } from '../../errors/AxialError.js';
import { releaseBuffer } from '../../io/releaseBuffer.js';
import type { RunBatch, RunLeaders, SweptBatch } from '../inference/slidingWindowInference.js';
import type { ModelSpec } from '../ModelSpec.js';
import type { CreateOnnxRunnerOptions, InferenceDevice, OnnxRunner } from './createOnnxRunner.js';
import type { RunnerDescription, RunnerReply, RunnerRequest, RunnerWorkerData, SweepWorkerData } from './onnxRunnerMessages.js';
import { onnxWorkerUrl } from './onnxWorkerUrl.js';

/** An OnnxRunner whose network runs on a worker thread, so that its caller's thread works meanwhile. */
export interface OverlappingOnnxRunner extends Omit<OnnxRunner, 'runLeaders'> {
  /**
   * runBatch copies its input when called and keeps each output until `ahead` calls after it (which the caller makes
   * once it has read it): the caller may start that many batches before reading the first's output
   * (slidingWindowInference's `overlapping`).
   */
  readonly overlapping: true;
  readonly ahead: number;
  /**
   * runBatch with each patch's output swept into its leaders on a third thread (leadersSweepWorker), which the caller
   * may start `ahead` of at once: at most two outputs are alive (one made, one swept: createSweepGate), and what waits
   * for the caller is lists or why they could not be made, so it may finish a block of planes while the network runs
   * on (slidingWindowInference's `overlapping.leaders`).
   */
  readonly leaders: { readonly run: RunLeaders; readonly ahead: number };
  /** For specs: batches the leaders sweep took from the leaders tail (CreateOnnxRunnerOptions.leadersTail), not whole outputs, since it opened. */
  batchesFromTail(): number;
  /** Answers the calls made so far that the worker has not started with INFERENCE_CANCELLED, unrun (after an error or a cancel). */
  skipQueued(): void;
  /** Seconds the network has run so far: the worker's runBatch calls alone, whatever the caller's thread was doing. */
  networkSeconds(): number;
  /** False once the worker has stopped (crashed, or released): every call then fails, and a new runner is wanted. */
  alive(): boolean;
}

/**
 * Calls in the runner at once. With three, the network runs on while the caller's thread finishes a block of planes (at
 * 105 classes: 50.1 and 50.8 s against 52.7 and 53.7 with two, the bench case in-process, in alternating pairs), for one
 * 371 MB output more, which the inference process makes room for by letting the scan's voxels go once preprocessed.
 */
const ahead = 3;
/**
 * Calls in the runner at once when their outputs are swept into leaders: two outputs are alive at most, and the rest
 * wait as lists (about 16 MB a 105-class 96³ window). 16 gave the same times on the whole-body bench in alternating
 * pairs (18.7 and 19.6 % outside the network against 18.1 and 15.9 %), 4 gave 27.0 %.
 */
const leadersAhead = 8;

/**
 * createOnnxRunner on a worker thread of this process. onnxruntime-node's run() blocks the thread it is called on; here
 * it blocks the worker, and the caller blends one window's output while the network runs the next ones. On the 105-class
 * bench (a 1×1×1 network: onnxruntime's time is making each 371 MB output, as fast on one thread as on two, so the
 * second core was idle while it ran) `axial segment` took 52.7 s against 73.1 s for the network on the window's own
 * thread in the same run, the network 41.2 s of it (36.1 s on a thread of its own). Errors keep their codes.
 * @throws AxialError as createOnnxRunner does; INFERENCE_CRASHED when the worker stops (then every later call too);
 *   INFERENCE_FAILED when its module is missing (a build without `npx tsc -b`).
 */
export async function createOnnxRunnerInWorker(
  modelPath: string,
  device: InferenceDevice,
  spec: ModelSpec,
  options: Pick<CreateOnnxRunnerOptions, 'rewrite' | 'sessionOverrides' | 'onWarning' | 'leadersTail'> = {},
): Promise<OverlappingOnnxRunner> {
  const url = onnxWorkerUrl('onnxRunnerWorker.js');
  const sweepUrl = onnxWorkerUrl('leadersSweepWorker.js');
  for (const module of [url, sweepUrl]) {
    if (!existsSync(fileURLToPath(module))) {
      throw new AxialError('INFERENCE_FAILED', 'the inference worker’s module is missing (build with "npx tsc -b")', { file: fileURLToPath(module) });
    }
  }
  const data: RunnerWorkerData = {
    modelPath,
    device,
    spec,
    rewrite: options.rewrite,
    sessionOverrides: options.sessionOverrides,
    leadersTail: options.leadersTail,
  };
  const worker = new Worker(url, { workerData: data, stdout: false, stderr: false });
  let sweeper: Worker | undefined;
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  /** Each call's answer: a run's output, or a swept batch. */
  const pending = new Map<number, { resolve: (answer: Float32Array<ArrayBuffer> | SweptBatch) => void; reject: (error: Error) => void }>();
  let ready: { resolve: (runner: RunnerDescription) => void; reject: (error: Error) => void } | null = null;
  let stopped: AxialError | null = null;
  /** Settles once the network's thread has released its session (or ended): from then on no run is on it. */
  let markIdle = (): void => undefined;
  const idle = new Promise<void>((resolve) => (markIdle = resolve));
  let seconds = 0;
  /** Batches swept from the leaders tail rather than from their whole output. */
  let fromTail = 0;
  const stop = (error: AxialError): void => {
    stopped ??= error;
    ready?.reject(stopped);
    for (const call of pending.values()) call.reject(stopped);
    pending.clear();
    // Either thread gone, the other ends too. The sweep holds nothing native and ends at once; the network's thread is
    // asked to stop (see the 'stop' request: terminated in a run, it would abort the whole process).
    void sweeper?.terminate();
    worker.postMessage({ type: 'stop' } satisfies RunnerRequest);
  };
  const onReply = (reply: RunnerReply): void => {
    if (reply.type === 'ready') ready?.resolve(reply.runner);
    else if (reply.type === 'warning') warn(reply.message);
    else if (reply.type === 'released') markIdle();
    else if (reply.type === 'output' || reply.type === 'swept') {
      seconds += reply.seconds;
      if (reply.type === 'swept' && reply.fromTail) fromTail++;
      pending.get(reply.id)?.resolve(reply.type === 'output' ? reply.output : reply.batch);
      pending.delete(reply.id);
    } else {
      seconds += reply.seconds ?? 0;
      const error = new AxialError(reply.error.code, reply.error.message, { file: reply.error.file });
      // An error of no call: the session's opening, or (never expected) a trim or release that failed.
      if (reply.id !== null) pending.get(reply.id)?.reject(error);
      else if (ready) ready.reject(error);
      else warn(error.message);
      pending.delete(reply.id ?? -1);
    }
  };
  const watch = (thread: Worker, name: string): void => {
    thread.on('message', onReply);
    thread.on('error', (error) => stop(new AxialError('INFERENCE_CRASHED', `the ${name} failed: ${error.message}`, { file: modelPath })));
    thread.on('exit', (code) => stop(new AxialError('INFERENCE_CRASHED', `the ${name} stopped (exit code ${code})`, { file: modelPath })));
  };
  watch(worker, 'inference worker');
  worker.once('exit', () => markIdle());
  const description = await new Promise<RunnerDescription>((resolve, reject) => (ready = { resolve, reject })).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  ready = null;

  // Outputs handed out, by call: call n's stays the caller's until call n + ahead, which sends it back to the worker to drop.
  const held = new Map<number, Float32Array<ArrayBuffer>>();
  let next = 0;
  const call = (input: Float32Array, count: number, roi: readonly [number, number, number], sweep: { channels: number } | null): Promise<unknown> => {
    if (stopped) return Promise.reject(stopped);
    const id = next++;
    const copy = input.slice();
    const drop = held.get(id - ahead)?.buffer ?? null;
    held.delete(id - ahead);
    const request: RunnerRequest = { type: 'run', id, input: copy, count, roi: [roi[0], roi[1], roi[2]], drop, sweep };
    worker.postMessage(request, drop ? [copy.buffer, drop] : [copy.buffer]);
    return new Promise((resolve, reject) => {
      pending.set(id, {
        resolve: (answer) => {
          if (answer instanceof Float32Array) held.set(id, answer);
          resolve(answer);
        },
        reject,
      });
    });
  };
  // A run asked for whole is answered with its output, one asked to be swept with its batch.
  const runBatch: RunBatch = (input, count, roi) => call(input, count, roi, null) as Promise<Float32Array>;
  const runLeaders: RunLeaders = (input, count, roi, channels) => {
    if (!sweeper && !stopped) {
      // Started at the first sweep: a run of few classes never has the thread.
      const channel = new MessageChannel();
      const sweepData: SweepWorkerData = { port: channel.port2, modelPath };
      sweeper = new Worker(sweepUrl, { workerData: sweepData, transferList: [channel.port2], stdout: false, stderr: false });
      watch(sweeper, 'leaders sweep');
      worker.postMessage({ type: 'sweeper', port: channel.port1 } satisfies RunnerRequest, [channel.port1]);
    }
    return call(input, count, roi, { channels }) as Promise<SweptBatch>;
  };
  return {
    ...description,
    overlapping: true,
    ahead,
    runBatch,
    leaders: { run: runLeaders, ahead: leadersAhead },
    batchesFromTail: () => fromTail,
    skipQueued() {
      if (!stopped) worker.postMessage({ type: 'skip', below: next } satisfies RunnerRequest);
    },
    networkSeconds: () => seconds,
    alive: () => stopped === null,
    trim() {
      // The outputs go now, not at the collector's leisure (1.1 GB at 105 classes), though the caller goes on making the
      // labels without a turn of its event loop: the worker, idle, drops them.
      const outputs = [...held.values()].map((output) => output.buffer);
      held.clear();
      if (stopped) outputs.forEach(releaseBuffer);
      else worker.postMessage({ type: 'trim', outputs } satisfies RunnerRequest, outputs);
    },
    async release() {
      if (!stopped) {
        stopped = new AxialError('INFERENCE_FAILED', 'the model’s session has been released', { file: modelPath });
        worker.postMessage({ type: 'release' } satisfies RunnerRequest);
      }
      // Whatever run the thread was in has finished: ending it now is safe.
      await idle;
      await Promise.all([worker.terminate(), sweeper?.terminate()]);
    },
  };
}
