import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxialError } from '../../errors/AxialError.js';
import type { InferenceChild } from './InferenceChild.js';
import type { ChildMessage, InferenceResult, SegmentRequest } from './inferenceMessages.js';
import { superviseInference, type InferenceProcess, type SegmentCallOptions } from './superviseInference.js';

export type { InferenceProcess, InferenceProgress, SegmentCallOptions } from './superviseInference.js';

export interface InferenceProcessOptions {
  /** Node flags for the child (default none), e.g. `--max-old-space-size=8192`. */
  readonly execArgv?: readonly string[];
  /** The child's environment (default this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** The compiled entry module (default dist's inferenceProcessEntry.js). */
  readonly entryPath?: string;
}

/** The compiled entry beside this module, or under dist/ when this module runs from source (Vitest). */
export function defaultEntryPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'inferenceProcessEntry.js');
  return resolve(dirname(here), '../../../dist/main/segmentation/process/inferenceProcessEntry.js');
}

/**
 * The entry module to start, checked to exist.
 * @throws AxialError INFERENCE_CRASHED when the compiled entry module is missing.
 */
export function checkedEntryPath(entryPath: string = defaultEntryPath()): string {
  if (!existsSync(entryPath)) {
    throw new AxialError('INFERENCE_CRASHED', `the inference process's module is missing (build with "npx tsc -b")`, { file: entryPath });
  }
  return entryPath;
}

/**
 * Forks the inference process (Node's child_process, structured-clone IPC).
 * @throws AxialError INFERENCE_CRASHED when the compiled entry module is missing.
 */
export function startInferenceProcess(options: InferenceProcessOptions = {}): InferenceProcess {
  const child = fork(checkedEntryPath(options.entryPath), [], {
    serialization: 'advanced',
    execArgv: [...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return superviseInference(nodeInferenceChild(child));
}

/**
 * Runs one request in a fresh inference process, which exits afterwards.
 * @throws AxialError as {@link InferenceProcess.segment}.
 */
export async function runInferenceProcess(request: SegmentRequest, options: SegmentCallOptions & InferenceProcessOptions = {}): Promise<InferenceResult> {
  const child = startInferenceProcess(options);
  try {
    return await child.segment(request, options);
  } finally {
    await child.close();
  }
}

/** A forked Node child as superviseInference sees it: killed with SIGKILL, its exit reported once stderr has drained. */
export function nodeInferenceChild(child: ChildProcess): InferenceChild {
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    send: (message, onError) => {
      if (!child.connected) return onError(new Error('the channel to the process is closed'));
      child.send(message, (error) => error && onError(error));
    },
    kill: () => void child.kill('SIGKILL'),
    onMessage: (listener) => child.on('message', (message) => listener(message as ChildMessage)),
    onExit: (listener) =>
      child.once('exit', (code, signal) => {
        // stderr may still be draining; 'close' follows once it has, and the verdict waits for it (briefly).
        let reported = false;
        const report = (): void => {
          if (reported) return;
          reported = true;
          listener({ code, signal });
        };
        const timer = setTimeout(report, 500).unref();
        child.once('close', () => {
          clearTimeout(timer);
          report();
        });
      }),
    onError: (listener) => child.on('error', listener),
  };
}
