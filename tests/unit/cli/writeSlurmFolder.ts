import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on the loopback (freed again at once: slurmctld and slurmd bind it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** slurm.conf for one node, this host, reached on the loopback; no accounting, no cgroups, no systemd. */
function slurmConf(root: string, node: string, ports: readonly [number, number]): string {
  const user = userInfo().username;
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
 * Lays out a one-node cluster's folder `root`: munge's key (1024 random bytes, owner-read-only, as munged demands)
 * and a minimal slurm.conf for this host on two free loopback ports. Returns the slurm.conf's path.
 */
export async function writeSlurmFolder(root: string): Promise<string> {
  for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(root, sub), { mode: 0o700 });
  chmodSync(root, 0o755);
  writeFileSync(join(root, 'munge', 'munge.key'), randomBytes(1024), { mode: 0o400 });
  // munged refuses a socket folder others may not enter.
  chmodSync(join(root, 'munge'), 0o755);
  const conf = join(root, 'slurm.conf');
  const controller = await freePort();
  let node = await freePort();
  // A port just closed may be handed out again at once.
  while (node === controller) node = await freePort();
  writeFileSync(conf, slurmConf(root, slurmNodeName(), [controller, node]));
  return conf;
}

/** The node's name: this host's short name, which slurmd and slurmctld look themselves up by. */
function slurmNodeName(): string {
  return hostname().split('.')[0]!;
}
