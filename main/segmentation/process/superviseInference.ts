import { AxialError } from '../../errors/AxialError.js';
import { classifyExit } from './classifyExit.js';
import { countOomKills } from './countOomKills.js';
import type { InferenceChild } from './InferenceChild.js';
import { ModelFailedError } from './ModelFailedError.js';
import type { ChildMessage, DescriptionMessage, InferenceResult, ParentMessage, ProgressMessage, SegmentRequest } from './inferenceMessages.js';

/** A model's name and input channel names (empty for a model of one image). */
export type ModelDescription = Omit<DescriptionMessage, 'type'>;

export type InferenceProgress = Omit<ProgressMessage, 'type'>;

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
  /**
   * Reads a model's name and input channel names (its network is not opened); one request at a time, as segment.
   * @throws AxialError the model reader's codes (MODEL_NOT_FOUND, MODEL_INVALID); INFERENCE_CRASHED when the process dies.
   */
  describe(modelPath: string): Promise<ModelDescription>;
  /** Asks the process to exit, and kills it if it has not within two seconds. */
  close(): Promise<void>;
}

const stderrTailBytes = 16_384;
const cancelGraceMs = 900;

type Listener = (event: { message?: ChildMessage; exit?: AxialError }) => void;

/**
 * Drives an inference process, whichever host started it (a Node child for
 * the CLI, an Electron utilityProcess in the app): sends requests once it is
 * ready, relays progress, and turns its death into a coded error (see
 * classifyExit) for the request in flight and every later one.
 */
export function superviseInference(child: InferenceChild): InferenceProcess {
  let stderr = '';
  let killedByUs = false;
  let ended: AxialError | null = null;
  let exited = false;
  let ready = false;
  let busy = false;
  const oomKillsBefore = countOomKills();
  const listeners = new Set<Listener>();
  const emit: Listener = (event) => [...listeners].forEach((l) => l(event));
  const end = (error: AxialError): void => {
    if (ended) return;
    ended = error;
    emit({ exit: error });
  };
  let markExited = (): void => undefined;
  const exitedPromise = new Promise<void>((done) => (markExited = done));

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTailBytes);
  });
  child.onMessage((message) => {
    if (message.type === 'ready') ready = true;
    emit({ message });
  });
  child.onExit((exit) => {
    exited = true;
    markExited();
    const oomKilled = oomKillsBefore !== null && (countOomKills() ?? 0) > oomKillsBefore;
    end(classifyExit({ ...exit, stderr, killedByUs, oomKilled }));
  });
  child.onError((error) => {
    end(new AxialError('INFERENCE_CRASHED', `the inference process could not run: ${error.message}`, { cause: error }));
    child.kill();
  });

  const kill = async (): Promise<void> => {
    if (exited) return;
    killedByUs = true;
    child.kill();
    await Promise.race([exitedPromise, delay(cancelGraceMs)]);
  };

  /** Sends one request once the process is ready, and settles on its answer (a result, or a description), its error or the process's end. */
  const request = <T>(message: ParentMessage, answerType: 'result' | 'description', options: SegmentCallOptions = {}): Promise<T> => {
    if (ended) return Promise.reject(ended);
    if (busy) return Promise.reject(new AxialError('INFERENCE_FAILED', 'the inference process is already running a request'));
    busy = true;
    return new Promise<T>((resolvePromise, rejectPromise) => {
      let sent = false;
      const send = (): void => {
        if (sent) return;
        sent = true;
        child.send(message, (error) => settle(() => rejectPromise(ended ?? crashedOnSend(error))));
      };
      let cancelling = false;
      const onAbort = (): void => {
        cancelling = true;
        void kill().then(() => settle(() => rejectPromise(new AxialError('INFERENCE_CANCELLED', 'segmentation cancelled'))));
      };
      const listener: Listener = ({ message: answer, exit }) => {
        if (cancelling) return;
        if (exit) return settle(() => rejectPromise(exit));
        if (!answer) return;
        if (answer.type === 'ready') send();
        else if (answer.type === 'progress') {
          const { type: _type, ...progress } = answer;
          options.onProgress?.(progress);
        } else if (answer.type === 'error') settle(() => rejectPromise(new (answer.model ? ModelFailedError : AxialError)(answer.code, answer.message)));
        else if (answer.type === 'result' || answer.type === 'description') {
          const { type, ...value } = answer;
          const mismatch = new AxialError('INFERENCE_FAILED', `the inference process answered a ${type} where a ${answerType} was asked for`);
          settle(() => (type === answerType ? resolvePromise(value as T) : rejectPromise(mismatch)));
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
    if (exited || ended) return;
    killedByUs = true;
    child.send({ type: 'shutdown' }, () => undefined);
    const timedOut = await Promise.race([exitedPromise.then(() => false), delay(2000).then(() => true)]);
    if (timedOut) await kill();
  };

  return {
    get pid() {
      return child.pid;
    },
    get alive() {
      return ended === null && !exited;
    },
    segment: (segmentRequest, options) => request<InferenceResult>(segmentRequest, 'result', options),
    describe: (modelPath) => request<ModelDescription>({ type: 'describe', modelPath }, 'description'),
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
