import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferenceEnv } from '../../../../main/segmentation/process/inferenceEnv.js';

const thpMode = readThpMode();

describe('inferenceEnv', () => {
  it("adds glibc's huge-page tunable on Linux, beside tunables already set, and keeps one the user chose", () => {
    expect(inferenceEnv({ PATH: '/bin' }, 'linux')).toEqual({ PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    expect(inferenceEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux')).toEqual({
      GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    });
    const chosen = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' };
    expect(inferenceEnv(chosen, 'linux')).toBe(chosen);
    const other = { PATH: '/bin' };
    for (const platform of ['win32', 'darwin'] as const) expect(inferenceEnv(other, platform)).toBe(other);
  });

  it.runIf(thpMode === 'madvise' || thpMode === 'always')(`puts a child's large arrays on huge pages (transparent huge pages: ${thpMode})`, () => {
    // A 64 MiB array, touched, and the kernel's count of the process's anonymous memory on huge pages.
    const script = [
      'const a = new Float32Array(16 << 20);',
      'a.fill(1);',
      "const rollup = require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8');",
      'process.stdout.write(/AnonHugePages:\\s+(\\d+)/.exec(rollup)[1]);',
    ].join(' ');
    const hugeKiB = (env: NodeJS.ProcessEnv): number => {
      const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return Number(run.stdout);
    };
    const plain = { PATH: process.env['PATH'] };
    expect(hugeKiB(inferenceEnv(plain, 'linux'))).toBeGreaterThanOrEqual(32 << 10);
    // Only the tunable asks for them where the system gives them only on request.
    if (thpMode === 'madvise') expect(hugeKiB(plain)).toBe(0);
  });
});

/** The system's transparent huge page mode ('always', 'madvise', 'never'), or null where there is none to read. */
function readThpMode(): string | null {
  try {
    return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}
