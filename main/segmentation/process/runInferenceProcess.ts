import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxialError } from '../../errors/AxialError.js';
import type { ChildMessage, InferenceResult, ProgressMessage, SegmentRequest } from './inferenceMessages.js';

export type InferenceProgress = Omit<ProgressMessage, 'type'>;

export interface InferenceProcessOptions {
  /** Node flags for the child (default none), e.g. `--max-old-space-size=8192`. */
  readonly execArgv?: readonly string[];
  /** The child's environment (default this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** The compiled entry module (default dist's inferenceProcessEntry.js). */
  readonly entryPath?: string;
}

export interface SegmentCallOptions {
  readonly onProgress?: (progress: InferenceProgress) => void;
  /** Aborting kills the process: its memory is freed at once, and the call rejects with INFERENCE_CANCELLED. */
  readonly signal?: AbortSignal;
}

/** A running inference process; it keeps its model session between calls for the same model and device. */
export interface InferenceProcess {
  readonly pid: number | undefined;
  /** False once the process has exited (crashed, killed or closed); start a new one to go on. */
  readonly alive: boolean;
  /**
   * Runs one request; one at a time.
   * @throws AxialError the child's own error code; INFERENCE_CANCELLED; INFERENCE_CRASHED or INFERENCE_OUT_OF_MEMORY when the process dies.
   */
  segment(request: SegmentRequest, options?: SegmentCallOptions): Promise<InferenceResult>;
  /** Asks the process to exit, and kills it if it has not within two seconds. */
  close(): Promise<void>;
}

interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const stderrTailBytes = 16_384;
const cancelGraceMs = 900;

/** The compiled entry beside this module, or under dist/ when this module runs from source (Vitest). */
export function defaultEntryPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'inferenceProcessEntry.js');
  return resolve(dirname(here), '../../../dist/main/segmentation/process/inferenceProcessEntry.js');
}

/**
 * Forks the inference process (Node's child_process, structured-clone IPC).
 * @throws AxialError INFERENCE_CRASHED when the compiled entry module is missing.
 */
export function startInferenceProcess(options: InferenceProcessOptions = {}): InferenceProcess {
  const entry = options.entryPath ?? defaultEntryPath();
  if (!existsSync(entry)) {
    throw new AxialError('INFERENCE_CRASHED', `the inference process's module is missing (build with "npx tsc -b")`, { file: entry });
  }
  const child = fork(entry, [], {
    serialization: 'advanced',
    execArgv: [...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return supervise(child);
}

/**
 * Runs one request in a fresh inference process, which exits afterwards.
 * @throws AxialError as {@link InferenceProcess.segment}.
 */
export async function runInferenceProcess(
  request: SegmentRequest,
  options: SegmentCallOptions & InferenceProcessOptions = {},
): Promise<InferenceResult> {
  const child = startInferenceProcess(options);
  try {
    return await child.segment(request, options);
  } finally {
    await child.close();
  }
}

type Listener = (event: { message?: ChildMessage; exit?: AxialError }) => void;

function supervise(child: ChildProcess): InferenceProcess {
  let stderr = '';
  let killedByUs = false;
  let ended: AxialError | null = null;
  let ready = false;
  let busy = false;
  const listeners = new Set<Listener>();
  const emit: Listener = (event) => [...listeners].forEach((l) => l(event));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTailBytes);
  });
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'ready') ready = true;
    emit({ message });
  });
  let finalised = false;
  const finalise = (info: ExitInfo): void => {
    if (finalised) return;
    finalised = true;
    ended = classifyExit({ ...info, stderr, killedByUs });
    emit({ exit: ended });
  };
  child.once('exit', (code, signal) => {
    // stderr may still be draining; 'close' follows once it has, and the verdict waits for it (briefly).
    const timer = setTimeout(() => finalise({ code, signal }), 500).unref();
    child.once('close', () => {
      clearTimeout(timer);
      finalise({ code, signal });
    });
  });
  child.on('error', (error) => {
    if (finalised) return;
    finalised = true;
    ended = new AxialError('INFERENCE_CRASHED', `the inference process could not run: ${error.message}`, { cause: error });
    emit({ exit: ended });
    child.kill('SIGKILL');
  });

  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killedByUs = true;
    child.kill('SIGKILL');
    await Promise.race([exited, delay(cancelGraceMs)]);
  };

  const segment = (request: SegmentRequest, options: SegmentCallOptions = {}): Promise<InferenceResult> => {
    if (ended) return Promise.reject(ended);
    if (busy) return Promise.reject(new AxialError('INFERENCE_FAILED', 'the inference process is already running a request'));
    busy = true;
    return new Promise<InferenceResult>((resolvePromise, rejectPromise) => {
      let sent = false;
      const send = (): void => {
        if (sent) return;
        sent = true;
        child.send(request, (error) => error && settle(() => rejectPromise(ended ?? crashedOnSend(error))));
      };
      let cancelling = false;
      const onAbort = (): void => {
        cancelling = true;
        void kill().then(() => settle(() => rejectPromise(new AxialError('INFERENCE_CANCELLED', 'segmentation cancelled'))));
      };
      const listener: Listener = ({ message, exit }) => {
        if (cancelling) return;
        if (exit) return settle(() => rejectPromise(exit));
        if (!message) return;
        if (message.type === 'ready') send();
        else if (message.type === 'progress') {
          const { type: _type, ...progress } = message;
          options.onProgress?.(progress);
        }
        else if (message.type === 'error') settle(() => rejectPromise(new AxialError(message.code, message.message)));
        else if (message.type === 'result') {
          const { type: _type, ...result } = message;
          settle(() => resolvePromise(result));
        }
      };
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        busy = false;
        listeners.delete(listener);
        options.signal?.removeEventListener('abort', onAbort);
        finish();
      };
      listeners.add(listener);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (ready) send();
    });
  };

  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || ended) return;
    killedByUs = true;
    if (child.connected) child.send({ type: 'shutdown' }, () => undefined);
    const timedOut = await Promise.race([exited.then(() => false), delay(2000).then(() => true)]);
    if (timedOut) await kill();
  };

  return {
    get pid() {
      return child.pid;
    },
    get alive() {
      return ended === null && child.exitCode === null && child.signalCode === null;
    },
    segment,
    close,
  };
}

/** A wait that does not keep the event loop alive on its own (the child's handle does while it runs). */
function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}

function crashedOnSend(error: Error): AxialError {
  return new AxialError('INFERENCE_CRASHED', `cannot reach the inference process: ${error.message}`, { cause: error });
}

const oomPatterns = [
  /JavaScript heap out of memory/i,
  /Reached heap limit/i,
  /FATAL ERROR: .*Allocation failed/i,
  /std::bad_alloc|bad allocation/i,
  /Failed to allocate memory/i,
  /\bout of memory\b/i,
];

export interface ExitEvidence extends ExitInfo {
  /** The end of the process's stderr; null when it was not captured (then an abort, code 134, is read as out-of-memory). */
  readonly stderr: string | null;
  /** True when this side killed it (cancel or close), so a SIGKILL is not the kernel's. */
  readonly killedByUs: boolean;
}

/**
 * Names why the inference process ended without a result: out of memory when
 * V8 or onnxruntime said so on stderr, or when something else (the kernel's
 * OOM killer) sent SIGKILL; otherwise a crash with its signal or exit code.
 */
export function classifyExit(evidence: ExitEvidence): AxialError {
  const { code, signal, stderr, killedByUs } = evidence;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const oomLine = stderr?.split(/\r?\n/).find((line) => oomPatterns.some((p) => p.test(line)));
  if (oomLine !== undefined) {
    return new AxialError('INFERENCE_OUT_OF_MEMORY', `the inference process ran out of memory and ${how}: ${oomLine.trim()}`);
  }
  const tail = stderr ? lastLines(stderr, 5) : '';
  const said = tail ? `; it said:\n${tail}` : '';
  if (signal === 'SIGKILL' && !killedByUs) {
    return new AxialError('INFERENCE_OUT_OF_MEMORY', `the inference process ${how}, most likely by the system's out-of-memory killer; try a smaller ROI or batch, or the CPU`);
  }
  if (code === 134 && stderr === null) {
    return new AxialError('INFERENCE_OUT_OF_MEMORY', `the inference process aborted (exit code 134), which is how V8 ends on running out of memory`);
  }
  return new AxialError('INFERENCE_CRASHED', `the inference process ${how} before finishing${said}`);
}

/** The last lines of stderr, without native stack frames (`12: 0x12a8273 ...`). */
function lastLines(text: string, count: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0 && !/^\s*\d+: 0x[0-9a-f]+/i.test(l))
    .slice(-count)
    .join('\n');
}
