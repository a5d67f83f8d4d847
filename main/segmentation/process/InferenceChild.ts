import type { ChildMessage, ParentMessage } from './inferenceMessages.js';

/** How an inference process ended, as far as its host can tell. */
export interface ChildExit {
  /** The exit code; null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it; null when it exited, or when the host reports only a code. */
  readonly signal: NodeJS.Signals | null;
  /** What else the host knows (Electron's reason the process is gone, a V8 fatal error), weighed with stderr. */
  readonly detail?: string;
}

/**
 * The little that supervising an inference process needs of it. Node's
 * ChildProcess (startInferenceProcess) and Electron's UtilityProcess
 * (startUtilityInference) each give it through a few lines: they differ in
 * how a message is sent (`send` / `postMessage`), how one is killed, and
 * what their exit event says (Node: code and signal; Electron: a code only).
 */
export interface InferenceChild {
  /** The OS process id; undefined before it has spawned. */
  readonly pid: number | undefined;
  /** The child's stderr when piped; its tail explains a crash. */
  readonly stderr: NodeJS.ReadableStream | null;
  /** Sends a message; `onError` hears when it cannot be delivered. */
  send(message: ParentMessage, onError: (error: Error) => void): void;
  /** Ends the process at once. */
  kill(): void;
  onMessage(listener: (message: ChildMessage) => void): void;
  /** Called once, when the process has ended and its stderr has been read as far as it will be. */
  onExit(listener: (exit: ChildExit) => void): void;
  /** Called when the process cannot be started or reached. */
  onError(listener: (error: Error) => void): void;
}
