import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir, totalmem, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

/** The Debian programs a one-node cluster needs (packages slurm-wlm and munge). */
const programs = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'] as const;
type Program = (typeof programs)[number];

/** Where a program is: PATH, then the sbin folders a non-root PATH may lack. */
function locate(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const folders = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'].filter((f) => f.startsWith('/'));
  return folders.map((folder) => join(folder, name)).find((path) => existsSync(path));
}

/**
 * Whether Slurm and munge are installed. On a developer's machine without them the Slurm spec is skipped;
 * under CI (`CI=true`, where .ci/run installs them) their absence must fail the run instead.
 * @throws Error under CI when a program is missing: the spec importing this module then fails to load.
 */
export function checkSlurm(env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = programs.filter((p) => locate(p, env) === undefined);
  if (missing.length === 0) return true;
  if (env.CI === 'true') throw new Error(`Slurm is not installed (missing ${missing.join(', ')}); CI=true requires the apt packages slurm-wlm and munge`);
  return false;
}

export interface SlurmCluster {
  /** The environment for Slurm's commands (SLURM_CONF), merged into `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Runs one of Slurm's commands and returns its stdout.
   * @throws Error with its stderr when it exits non-zero.
   */
  run(program: Program, args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): string;
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

/** A free TCP port on the loopback (freed again at once: slurmctld and slurmd bind it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Polls `check` every 100 ms until it gives a value, or throws after `seconds` with `what`. */
export async function waitFor<T>(what: string, seconds: number, check: () => T | undefined | false): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

function slurmConf(root: string, node: string, user: string, ports: [number, number]): string {
  const memoryMb = Math.floor((totalmem() / 2 ** 20) * 0.9);
  return [
    `ClusterName=axial${randomBytes(3).toString('hex')}`,
    `SlurmctldHost=${node}(127.0.0.1)`,
    `SlurmctldPort=${ports[0]}`,
    `SlurmdPort=${ports[1]}`,
    `SlurmUser=${user}`,
    `SlurmdUser=${user}`,
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${root}/munge/munge.sock`,
    `StateSaveLocation=${root}/state`,
    `SlurmdSpoolDir=${root}/spool`,
    `SlurmctldPidFile=${root}/slurmctld.pid`,
    `SlurmdPidFile=${root}/slurmd.pid`,
    `SlurmctldLogFile=${root}/log/slurmctld.log`,
    `SlurmdLogFile=${root}/log/slurmd.log`,
    // No systemd, no cgroup hierarchy to delegate in a container: track processes by parentage, bind nothing.
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'MpiDefault=none',
    'SwitchType=switch/none',
    'SchedulerType=sched/backfill',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_CPU',
    'ReturnToService=2',
    // A cancelled task gets SIGKILL 5 s after SIGTERM (30 s by default); finished jobs stay visible to scontrol.
    'KillWait=5',
    'MinJobAge=900',
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} RealMemory=${memoryMb} State=UNKNOWN`,
    `PartitionName=axial Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

/**
 * Starts a one-node Slurm cluster in a temporary folder: munged with its own key and socket, slurmctld and slurmd
 * (Debian's slurm-wlm) on free loopback ports, all in the foreground as children of this process so that they can
 * be stopped by their ids. Resolves once the node is idle.
 * @throws Error when a daemon exits or the node does not come up within a minute (with the daemons' logs).
 */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const path = (p: Program): string => locate(p, process.env)!;
  const root = mkdtempSync(join(tmpdir(), 'axial-slurm-'));
  for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(root, sub), { mode: 0o700 });
  chmodSync(root, 0o755);
  // munged refuses a key readable by others and a socket folder others may not enter.
  writeFileSync(join(root, 'munge', 'munge.key'), randomBytes(1024), { mode: 0o400 });
  chmodSync(join(root, 'munge'), 0o755);
  const node = hostname().split('.')[0]!;
  const conf = join(root, 'slurm.conf');
  writeFileSync(conf, slurmConf(root, node, userInfo().username, [await freePort(), await freePort()]));
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, ...extra, SLURM_CONF: conf });

  const daemons: ChildProcess[] = [];
  const killAll = (): void => void daemons.forEach((d) => d.exitCode === null && d.signalCode === null && d.kill('SIGKILL'));
  process.once('exit', killAll);
  const start = (program: Program, args: string[]): void => {
    const log = openSync(join(root, 'log', `${program}.out`), 'a');
    const daemon = spawn(path(program), args, { env: env(), stdio: ['ignore', log, log] });
    daemons.push(daemon);
  };
  spawn('/bin/sh', ['-c', watchdog, 'watchdog', String(process.pid), conf, root], { detached: true, stdio: 'ignore' }).unref();
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
  const logTails = (): string =>
    ['munge/munged.log', 'log/slurmctld.log', 'log/slurmd.log', 'log/munged.out', 'log/slurmctld.out', 'log/slurmd.out']
      .filter((f) => existsSync(join(root, f)))
      .map((f) => `== ${f}\n${readFileSync(join(root, f), 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  const alive = (): boolean => daemons.every((d) => d.exitCode === null && d.signalCode === null);
  const run: SlurmCluster['run'] = (program, args, options = {}) => {
    const result = spawnSync(path(program), args, { encoding: 'utf8', cwd: options.cwd, env: env(options.env), timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.error?.message ?? ''}`);
    return result.stdout;
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      if (alive()) {
        spawnSync(path('scancel'), ['--user', userInfo().username], { env: env(), timeout: 30_000 });
        await waitFor('the jobs to end', 60, () => spawnSync(path('squeue'), ['-h'], { env: env(), encoding: 'utf8', timeout: 30_000 }).stdout === '').catch(
          () => undefined,
        );
      }
    } finally {
      for (const d of [...daemons].reverse()) if (d.exitCode === null && d.signalCode === null) d.kill('SIGTERM');
      await waitFor('the daemons to stop', 20, () => !daemons.some((d) => d.exitCode === null && d.signalCode === null)).catch(killAll);
      // A job step whose slurmd is gone would retry for minutes: none may outlive the test.
      for (const pid of clusterProcesses(conf)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
      process.removeListener('exit', killAll);
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    await waitFor('munged', 30, () => existsSync(join(m, 'munge.sock')) || !alive());
    start('slurmctld', ['-D', '-i', '-f', conf]);
    start('slurmd', ['-D', '-f', conf]);
    const state = (): string => spawnSync(path('sinfo'), ['-h', '-N', '-o', '%T'], { env: env(), encoding: 'utf8', timeout: 30_000 }).stdout.trim();
    await waitFor('the node to be idle', 60, () => {
      if (!alive()) throw new Error('a daemon exited');
      return state() === 'idle';
    });
  } catch (error) {
    const message = `${(error as Error).message}\n${logTails()}`;
    await stop();
    throw new Error(`the Slurm cluster did not start: ${message}`, { cause: error });
  }
  return { env, run, logTails, stop };
}
