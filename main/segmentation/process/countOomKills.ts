import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The kernel's count of processes its out-of-memory killer has ended in this
 * process's memory cgroup (Linux: cgroup v2 `memory.events`, v1
 * `memory.oom_control`), or null where there is none to read. A child killed
 * by SIGKILL while this count rose was most likely the OOM killer's victim;
 * without it, a SIGKILL is only "killed from outside".
 */
export function countOomKills(): number | null {
  if (process.platform !== 'linux') return null;
  const own = ownCgroups();
  // The process's own cgroup first; a container mounts its own cgroup at the root instead.
  const candidates = [
    join('/sys/fs/cgroup', own.v2 ?? '/', 'memory.events'),
    '/sys/fs/cgroup/memory.events',
    join('/sys/fs/cgroup/memory', own.v1 ?? '/', 'memory.oom_control'),
    '/sys/fs/cgroup/memory/memory.oom_control',
  ];
  for (const file of candidates) {
    try {
      const count = /^oom_kill (\d+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
      if (count !== undefined) return Number(count);
    } catch {
      // Not this layout; try the next.
    }
  }
  return null;
}

/** This process's memory cgroup paths from /proc/self/cgroup: v2's unified line and v1's memory line. */
function ownCgroups(): { v2?: string; v1?: string } {
  const found: { v2?: string; v1?: string } = {};
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const match = /^\d+:([^:]*):(.*)$/.exec(line);
      if (!match) continue;
      if (match[1] === '') found.v2 = match[2]!;
      else if (match[1]!.split(',').includes('memory')) found.v1 = match[2]!;
    }
  } catch {
    // No /proc: the fallbacks at the mount's root remain.
  }
  return found;
}
