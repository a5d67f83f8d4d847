import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { locateSlurmProgram, type SlurmProgram } from './checkSlurm.js';
import { waitFor } from './waitFor.js';
import { writeSlurmFolder } from './writeSlurmFolder.js';

export interface SlurmCluster {
  /** The environment for Slurm's commands (SLURM_CONF), merged into `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Runs one of Slurm's commands and returns its stdout.
   * @throws Error with its stderr when it exits non-zero.
   */
  run(program: SlurmProgram, args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): string;
  /** The daemons' logs' last lines, for a failure's message. */
  logTails(): string;
  /** Cancels every job, waits for them to end, stops the daemons and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * `sh -c` script: while $1 (this test process) lives, wait; once it is gone without stopping the cluster (SIGKILL, a
 * killed test worker), kill every process carrying $2 (the cluster's SLURM_CONF): the daemons, the job steps and the
 * jobs' own processes, which all inherit it. It ends by itself once the cluster's folder ($3) is removed.
 */
const watchdog = [
  'while kill -0 "$1" 2>/dev/null; do [ -e "$3" ] || exit 0; sleep 1; done',
  'for e in /proc/[0-9]*/environ; do',
  '  if tr "\\0" "\\n" <"$e" 2>/dev/null | grep -qxF "SLURM_CONF=$2"; then p=${e#/proc/}; kill -9 "${p%/environ}" 2>/dev/null; fi',
  'done',
  'rm -rf "$3"',
].join('\n');

/** The processes of the cluster whose configuration is `conf`, found as the watchdog finds them. */
function clusterProcesses(conf: string): number[] {
  const mark = `SLURM_CONF=${conf}`;
  const environ = (pid: string): string[] => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    } catch {
      return [];
    }
  };
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid && environ(name).includes(mark))
    .map(Number);
}

/** The daemons' own logs and their stdout/stderr, as a failure's message shows them. */
const logFiles = ['munge/munged.log', 'log/slurmctld.log', 'log/slurmd.log', 'log/munged.out', 'log/slurmctld.out', 'log/slurmd.out'];

const running = (d: ChildProcess): boolean => d.exitCode === null && d.signalCode === null;

/**
 * Starts a one-node Slurm cluster in a temporary folder: munged with its own key and socket, slurmctld and slurmd
 * (Debian's slurm-wlm) on free loopback ports, all in the foreground as children of this process so that they are
 * stopped by their ids. Resolves once the node is idle. A port found free can be taken by another spec before a
 * daemon binds it, so a failed start is tried once more, on new ports.
 * @throws Error when a daemon exits or the node does not come up within a minute, twice (with the daemons' logs).
 */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  try {
    return await startOnce();
  } catch (first) {
    return await startOnce().catch((second: Error) => {
      throw new Error(`${second.message}\n(the first try: ${(first as Error).message})`, { cause: second });
    });
  }
}

async function startOnce(): Promise<SlurmCluster> {
  const root = mkdtempSync(join(tmpdir(), 'axial-slurm-'));
  const conf = await writeSlurmFolder(root);
  spawn('/bin/sh', ['-c', watchdog, 'watchdog', String(process.pid), conf, root], { detached: true, stdio: 'ignore' }).unref();
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, ...extra, SLURM_CONF: conf });
  const run: SlurmCluster['run'] = (program, args, options = {}) => {
    const result = spawnSync(locateSlurmProgram(program)!, args, { encoding: 'utf8', cwd: options.cwd, env: env(options.env), timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.error?.message ?? ''}`);
    return result.stdout;
  };
  const logTails = (): string =>
    logFiles
      .filter((f) => existsSync(join(root, f)))
      .map((f) => `== ${f}\n${readFileSync(join(root, f), 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  const daemons: ChildProcess[] = [];
  const start = (program: SlurmProgram, args: string[]): void => {
    const log = openSync(join(root, 'log', `${program}.out`), 'a');
    daemons.push(spawn(locateSlurmProgram(program)!, args, { env: env(), stdio: ['ignore', log, log] }));
  };
  const stop = once(() => stopCluster({ root, conf, daemons, run }));
  try {
    const m = join(root, 'munge');
    start('munged', [
      '-F',
      '-f',
      `--socket=${m}/munge.sock`,
      `--key-file=${m}/munge.key`,
      `--pid-file=${m}/munged.pid`,
      `--seed-file=${m}/seed`,
      `--log-file=${m}/munged.log`,
    ]);
    await waitFor('munged', 30, () => existsSync(join(m, 'munge.sock')) || !daemons.every(running));
    start('slurmctld', ['-D', '-i', '-f', conf]);
    start('slurmd', ['-D', '-f', conf]);
    await waitFor('the node to be idle', 60, () => {
      if (!daemons.every(running)) throw new Error('a daemon exited');
      return spawnSync(locateSlurmProgram('sinfo')!, ['-h', '-N', '-o', '%T'], { env: env(), encoding: 'utf8', timeout: 30_000 }).stdout.trim() === 'idle';
    });
  } catch (error) {
    const message = `${(error as Error).message}\n${logTails()}`;
    await stop();
    throw new Error(`the Slurm cluster did not start: ${message}`, { cause: error });
  }
  return { env, run, logTails, stop };
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

interface StopParams {
  readonly root: string;
  readonly conf: string;
  readonly daemons: readonly ChildProcess[];
  readonly run: SlurmCluster['run'];
}

/** Cancels the jobs and waits for them, stops the daemons (SIGTERM, then SIGKILL), kills any process left, removes the folder. */
async function stopCluster({ root, conf, daemons, run }: StopParams): Promise<void> {
  try {
    if (daemons.length === 3 && daemons.every(running)) {
      run('scancel', ['--user', userInfo().username]);
      await waitFor('the jobs to end', 60, () => run('squeue', ['-h']) === '');
    }
  } finally {
    for (const d of [...daemons].reverse()) if (running(d)) d.kill('SIGTERM');
    await waitFor('the daemons to stop', 20, () => !daemons.some(running)).catch(() => daemons.forEach((d) => running(d) && d.kill('SIGKILL')));
    // A job step whose slurmd is gone would retry for minutes: none may outlive the test.
    for (const pid of clusterProcesses(conf)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    rmSync(root, { recursive: true, force: true });
  }
}
