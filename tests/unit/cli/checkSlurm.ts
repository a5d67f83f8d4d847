import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Debian programs a one-node cluster needs (packages slurm-wlm and munge). */
const programs = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'] as const;
export type SlurmProgram = (typeof programs)[number];

/** Where a program is: PATH, then the sbin folders a non-root PATH may lack; undefined when it is nowhere. */
export function locateSlurmProgram(name: SlurmProgram, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folders = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'].filter((f) => f.startsWith('/'));
  return folders.map((folder) => join(folder, name)).find((path) => existsSync(path));
}

/**
 * Whether Slurm and munge are installed. On a developer's machine without them the Slurm spec is skipped;
 * under CI (`CI=true`, where .ci/run installs them) their absence must fail the run instead.
 * @throws Error under CI when a program is missing: the spec importing this module then fails to load.
 */
export function checkSlurm(env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = programs.filter((p) => locateSlurmProgram(p, env) === undefined);
  if (missing.length === 0) return true;
  if (env.CI === 'true') throw new Error(`Slurm is not installed (missing ${missing.join(', ')}); CI=true requires the apt packages slurm-wlm and munge`);
  return false;
}
