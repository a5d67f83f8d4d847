import { AxialError } from '../../errors/AxialError.js';
import type { ChildExit } from './InferenceChild.js';

const oomPatterns = [
  /JavaScript heap out of memory/i,
  /Reached heap limit/i,
  /FATAL ERROR: .*Allocation failed/i,
  /std::bad_alloc|bad allocation/i,
  /Failed to allocate memory/i,
  /\bout of memory\b/i,
];

export interface ExitEvidence extends ChildExit {
  /** The end of the process's stderr; null when it was not captured (then an abort, code 134, is read as out-of-memory). */
  readonly stderr: string | null;
  /** True when this side killed it (cancel or close), so a SIGKILL is not someone else's. */
  readonly killedByUs: boolean;
  /** True when the kernel's out-of-memory killer ended a process of this cgroup meanwhile (see countOomKills). */
  readonly oomKilled?: boolean;
}

/**
 * Names why the inference process ended without a result: out of memory when
 * V8, onnxruntime or the host said so, or when the kernel counted an OOM kill
 * as a SIGKILL ended it; a SIGKILL Axial did not send is otherwise a crash
 * that names the signal and says it came from outside; any other end is a
 * crash with its signal or exit code.
 */
export function classifyExit(evidence: ExitEvidence): AxialError {
  const { code, signal, stderr, killedByUs } = evidence;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const said = [evidence.detail, ...(stderr?.split(/\r?\n/) ?? [])].find((line) => line !== undefined && oomPatterns.some((p) => p.test(line)));
  if (said !== undefined) {
    return new AxialError('INFERENCE_OUT_OF_MEMORY', `the inference process ran out of memory and ${how}: ${said.trim()}`);
  }
  if (signal === 'SIGKILL' && !killedByUs && evidence.oomKilled) {
    return new AxialError(
      'INFERENCE_OUT_OF_MEMORY',
      "the inference process was killed by SIGKILL from the system's out-of-memory killer " +
        '(the kernel counted an OOM kill meanwhile); try a smaller ROI or batch, or the CPU',
    );
  }
  if (signal === 'SIGKILL' && !killedByUs) {
    return new AxialError(
      'INFERENCE_CRASHED',
      `the inference process was killed by SIGKILL from outside Axial (another program, or the system when memory ran out) before finishing`,
    );
  }
  if (code === 134 && stderr === null) {
    return new AxialError('INFERENCE_OUT_OF_MEMORY', `the inference process aborted (exit code 134), which is how V8 ends on running out of memory`);
  }
  const tail = [evidence.detail, stderr ? lastLines(stderr, 5) : ''].filter(Boolean).join('\n');
  return new AxialError('INFERENCE_CRASHED', `the inference process ${how} before finishing${tail ? `; it said:\n${tail}` : ''}`);
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
