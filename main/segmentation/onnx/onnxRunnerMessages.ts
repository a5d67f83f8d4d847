import type { ModelSpec } from '../ModelSpec.js';
import type { CreateOnnxRunnerOptions, InferenceDevice, OnnxRunner } from './createOnnxRunner.js';
import type { PlainError } from './plainInferenceError.js';

// The messages between createOnnxRunnerInWorker and its worker thread (onnxRunnerWorker.ts).

/** What createOnnxRunnerInWorker hands its worker as workerData. */
export interface RunnerWorkerData {
  readonly modelPath: string;
  readonly device: InferenceDevice;
  readonly spec: ModelSpec;
  readonly rewrite: CreateOnnxRunnerOptions['rewrite'];
  readonly sessionOverrides: CreateOnnxRunnerOptions['sessionOverrides'];
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
    }
  /** Lets go of the runner's arrays, and of `outputs` (the caller's, given back to be dropped on the worker's idle thread). */
  | { readonly type: 'trim'; readonly outputs: readonly ArrayBuffer[] }
  | { readonly type: 'release' };

export type RunnerDescription = Pick<OnnxRunner, 'provider' | 'skipped' | 'inputName' | 'outputName' | 'fixedBatch' | 'layout' | 'graphRewrite'>;

export type RunnerReply =
  | { readonly type: 'ready'; readonly runner: RunnerDescription }
  | { readonly type: 'output'; readonly id: number; readonly output: Float32Array<ArrayBuffer>; readonly seconds: number }
  | { readonly type: 'error'; readonly id: number | null; readonly error: PlainError }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'released' };
