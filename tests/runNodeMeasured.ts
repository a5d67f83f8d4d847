import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const reporter = resolve(root, 'dist/tests/reportPeakMemory.js');
/** The built CLI (run `npx tsc -b` first). */
export const axialCli = resolve(root, 'dist/main/cli/axial.js');

export interface MeasuredRun {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the whole process, in milliseconds. */
  readonly ms: number;
  /**
   * Peak resident memory in MiB of the largest Node process of the run (the command, or a process it started, such
   * as the inference child), each read from the process itself on exit; NaN when the command died before reporting.
   */
  readonly peakMiB: number;
  /** True when the run passed `timeoutMs` and was killed. */
  readonly timedOut: boolean;
}

export interface RunNodeMeasuredOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) past this; default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs `node <args>` in a child process with its peak memory reported on exit,
 * so a test can bound the time and memory a hostile input costs without the
 * test process's own heap in the figure.
 */
export function runNodeMeasured(args: readonly string[], options: RunNodeMeasuredOptions = {}): Promise<MeasuredRun> {
  if (!existsSync(reporter)) throw new Error(`${reporter} is missing: build with "npx tsc -b" first`);
  const started = performance.now();
  // Through NODE_OPTIONS, so that the processes it starts (the inference child) report their peaks too.
  const env = options.env ?? process.env;
  const nodeOptions = `${env['NODE_OPTIONS'] ?? ''} --import=${pathToFileURL(reporter).href}`.trim();
  const report = join(mkdtempSync(join(tmpdir(), 'axial-peak-')), 'peaks.txt');
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd,
    env: { ...env, NODE_OPTIONS: nodeOptions, AXIAL_PEAK_REPORT: report },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  return new Promise((resolvePromise, rejectPromise) => {
    child.on('error', rejectPromise);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const peaks = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n') : [];
      rmSync(dirname(report), { recursive: true, force: true });
      const own = peaks.find((line) => line.startsWith(`${child.pid} `));
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        ms: performance.now() - started,
        peakMiB: own ? Math.max(...peaks.map((line) => Number(line.split(' ')[1]))) / 1024 : Number.NaN,
        timedOut,
      });
    });
  });
}

/** Runs the built `axial` CLI measured; see {@link runNodeMeasured}. */
export function runAxialMeasured(args: readonly string[], options: RunNodeMeasuredOptions = {}): Promise<MeasuredRun> {
  return runNodeMeasured([axialCli, ...args], options);
}

/** The error code of `axial: error CODE: …` on stderr, or undefined. */
export function cliErrorCode(run: MeasuredRun): string | undefined {
  return /axial: error ([A-Z_]+):/.exec(run.stderr)?.[1];
}
