import type { MessagePort } from 'node:worker_threads';
import type { SweptBatch } from '../inference/slidingWindowInference.js';
import type { ModelSpec } from '../ModelSpec.js';
import type { CreateOnnxRunnerOptions, InferenceDevice, OnnxRunner } from './createOnnxRunner.js';
import type { PlainError } from './plainInferenceError.js';
import type { TopLeaders } from '../inference/topLeaders.js';

// The messages between createOnnxRunnerInWorker, its worker thread (onnxRunnerWorker.ts) and the leaders sweep's
// (leadersSweepWorker.ts).

/** What createOnnxRunnerInWorker hands its worker as workerData. */
export interface RunnerWorkerData {
  readonly modelPath: string;
  readonly device: InferenceDevice;
  readonly spec: ModelSpec;
  readonly rewrite: CreateOnnxRunnerOptions['rewrite'];
  readonly sessionOverrides: CreateOnnxRunnerOptions['sessionOverrides'];
  readonly leadersTail: CreateOnnxRunnerOptions['leadersTail'];
}

export type RunnerRequest =
  | {
      readonly type: 'run';
      readonly id: number;
      readonly input: Float32Array;
      readonly count: number;
      readonly roi: readonly [number, number, number];
      /** An earlier output, read by the caller, to be let go of here, on the worker's thread (see the 'trim' request). */
      readonly drop: ArrayBuffer | null;
      /** The output goes to the leaders sweep (SweepRequest) instead of the caller, to be listed as `channels` a patch. */
      readonly sweep: { readonly channels: number } | null;
    }
  /** The port to the leaders sweep's thread, sent once before the first run with `sweep`. */
  | { readonly type: 'sweeper'; readonly port: MessagePort }
  /** Runs asked for before run `below` and not started yet are answered INFERENCE_CANCELLED, unrun (handled on arrival). */
  | { readonly type: 'skip'; readonly below: number }
  /** Lets go of the runner's arrays, and of `outputs` (the caller's, given back to be dropped on the worker's idle thread). */
  | { readonly type: 'trim'; readonly outputs: readonly ArrayBuffer[] }
  | { readonly type: 'release' }
  /**
   * Handled on arrival: every run not started is answered INFERENCE_CANCELLED, unrun, the one running finishes, then the
   * session is released and the thread ends by itself. Ending the thread while onnxruntime runs on it aborts the whole
   * process ('terminate called after throwing an instance of Napi::Error'), so it is never terminated before.
   */
  | { readonly type: 'stop' };

export type RunnerDescription = Pick<OnnxRunner, 'provider' | 'skipped' | 'inputName' | 'outputName' | 'fixedBatch' | 'layout' | 'graphRewrite'>;

export type RunnerReply =
  | { readonly type: 'ready'; readonly runner: RunnerDescription }
  | { readonly type: 'output'; readonly id: number; readonly output: Float32Array<ArrayBuffer>; readonly seconds: number }
  /** From the leaders sweep: each patch's leaders, each in a buffer of its own, or why they could not be made (sweepLeaders). */
  | { readonly type: 'swept'; readonly id: number; readonly batch: SweptBatch; readonly seconds: number; readonly fromTail: boolean }
  /** `seconds`: the network's, for a run that ran before the error (in the leaders sweep). */
  | { readonly type: 'error'; readonly id: number | null; readonly error: PlainError; readonly seconds?: number }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'released' };

/** What the leaders sweep's thread is given as workerData: its end of the port from the network's thread, and the model (for errors). */
export interface SweepWorkerData {
  readonly port: MessagePort;
  readonly modelPath: string;
}

/**
 * From the network's thread to the leaders sweep, on their port: one run's output, [count, channels, size] values, or
 * its leaders tail's (runLeaders), and the run's seconds in the network, passed on to the caller with the reply; or
 * null when the runner is trimmed (the sweep lets go of its room). The sweep answers each output on the same port with
 * the run's id once it is dropped.
 */
export interface SweepRequest {
  readonly id: number;
  readonly output: Float32Array<ArrayBuffer> | TopLeaders;
  readonly count: number;
  readonly channels: number;
  readonly size: number;
  readonly seconds: number;
}
