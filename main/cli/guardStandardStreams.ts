import { inFlightTemporaries } from '../io/inFlightTemporaries.js';

/** The exit status of a command whose reader went away: 128 + SIGPIPE, what a shell shows for `yes | head -1`'s yes. */
const closedPipeExitCode = 141;

let guarded = false;

/**
 * Makes a failed write to the process's stdout or stderr end the command in the CLI's own terms, instead of Node's
 * "Unhandled 'error' event" and a stack trace. A reader that went away (EPIPE: `axial info … | head -1`) ends it
 * quietly with {@link closedPipeExitCode}, as a Unix tool killed by SIGPIPE ends; any other failure (ENOSPC on a full
 * disk or /dev/full, EIO) is the one-line OUTPUT_WRITE_FAILED error on stderr and exit status 1. Temporary files of
 * writes in flight go first, as on Ctrl-C. Installed once, whichever command calls it.
 */
export function guardStandardStreams(): void {
  if (guarded) return;
  guarded = true;
  const failed =
    (stream: 'standard output' | 'standard error') =>
    (error: NodeJS.ErrnoException): void => {
      inFlightTemporaries.removeAll();
      if (error.code === 'EPIPE') process.exit(closedPipeExitCode);
      if (stream === 'standard output') {
        try {
          process.stderr.write(`axial: error OUTPUT_WRITE_FAILED: ${stream}: cannot write: ${error.message}\n`);
        } catch {
          // stderr failing too leaves only the exit status to say it.
        }
      }
      process.exit(1);
    };
  process.stdout.on('error', failed('standard output'));
  process.stderr.on('error', failed('standard error'));
}
