import { app, utilityProcess, type Details, type Event, type UtilityProcess } from 'electron';
import { constants } from 'node:os';
import type { InferenceChild } from '../segmentation/process/InferenceChild.js';
import { checkedEntryPath } from '../segmentation/process/runInferenceProcess.js';
import { superviseInference, type InferenceProcess } from '../segmentation/process/superviseInference.js';

/** The name Electron gives the process (app metrics, `child-process-gone`), before its number. */
export const inferenceServiceName = 'Axial inference';

/** Processes started so far: each gets its own number, so one's `child-process-gone` is never credited to the next. */
let forks = 0;

/** How long an exit waits for Electron's `child-process-gone`, which may come just after it. */
const goneGraceMs = 200;

/**
 * Starts the inference process as an Electron utilityProcess: a Node
 * environment Electron launches itself, so the app needs no RunAsNode fuse.
 * Call it after the app's `ready` event.
 * @param entryPath the compiled inferenceProcessEntry.js (default: beside runInferenceProcess.js).
 * @throws AxialError INFERENCE_CRASHED when the compiled entry module is missing.
 */
export function startUtilityInference(entryPath?: string): InferenceProcess {
  const serviceName = `${inferenceServiceName} #${++forks}`;
  const child = utilityProcess.fork(checkedEntryPath(entryPath), [], { serviceName, stdio: ['ignore', 'ignore', 'pipe'] });
  return superviseInference(utilityInferenceChild(child, serviceName));
}

/**
 * A UtilityProcess as superviseInference sees it. Its `exit` gives only a
 * code: on POSIX, Chromium reports a process ended by a signal with the
 * signal's number as that code (SIGKILL gives 9), and one it killed itself
 * through kill() as 0. A code of 9 could also be a plain exit(9), so the code
 * is read as a signal only when `app`'s `child-process-gone` for this process (its own service name)
 * says the process was killed, crashed or ran out of memory; that reason goes
 * into the verdict too, and so does a V8 fatal error (the `error` event).
 */
function utilityInferenceChild(child: UtilityProcess, serviceName: string): InferenceChild {
  // Electron drops its stderr stream once the process has exited; keep the one it gave.
  const stderr = child.stderr;
  let gone: Details | undefined;
  let fatal: string | undefined;
  const onGone = (_event: Event, details: Details): void => {
    if (details.type === 'Utility' && details.serviceName === serviceName) gone = details;
  };
  app.on('child-process-gone', onGone);
  child.on('error', (_type, location) => (fatal = `V8 fatal error at ${location}`));
  return {
    get pid() {
      return child.pid;
    },
    stderr,
    send: (message, onError) => {
      try {
        child.postMessage(message);
      } catch (error) {
        onError(error as Error);
      }
    },
    kill: () => void child.kill(),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) =>
      child.once('exit', (code) => {
        // Also leaves Electron's exit emission before anything reacts: it must not be re-entered.
        setTimeout(
          () => {
            app.off('child-process-gone', onGone);
            const signal = signalOf(code, gone);
            const reason = gone && (gone.reason === 'oom' ? 'oom: out of memory' : gone.reason);
            const detail = [reason ? `Electron reports the process gone (${reason})` : '', fatal ?? ''].filter(Boolean).join('; ');
            listener({ code: signal ? null : code, signal, ...(detail ? { detail } : {}) });
          },
          gone ? 0 : goneGraceMs,
        );
      }),
    // A utilityProcess reports a failed launch through child-process-gone ('launch-failed') and exit, not an error event.
    onError: () => undefined,
  };
}

/** The signal an exit code stands for, when Electron says the process was ended by one (POSIX only). */
function signalOf(code: number, gone: Details | undefined): NodeJS.Signals | null {
  if (process.platform === 'win32' || !gone || !['killed', 'crashed', 'oom'].includes(gone.reason)) return null;
  const name = Object.entries(constants.signals).find(([, number]) => number === code)?.[0];
  return (name as NodeJS.Signals | undefined) ?? null;
}
