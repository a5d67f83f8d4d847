import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTemporaries, staleTemporaryAgeMs } from '../../../main/io/removeStaleTemporaries.js';
import { temporaryOwner, temporaryPath, thisHost } from '../../../main/io/temporaryPath.js';
import { writeFileAtomic } from '../../../main/io/writeFileAtomic.js';
import { repoRoot } from '../../repoRoot.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-stale-tmp-'));
const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
afterAll(() => {
  sleeper.kill();
  rmSync(scratch, { recursive: true, force: true });
});

/** A pid that was alive a moment ago and is not now. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

let folders = 0;
function folder(): string {
  const path = join(scratch, `f${folders++}`);
  mkdirSync(path);
  return path;
}

const name = (target: string, host: string, pid: number): string => `.${target}.axial-${host}-${pid}-0badcafe.tmp`;
const otherHost = thisHost === '00000000' ? '11111111' : '00000000';

describe('temporaryPath', () => {
  it('names the target, this host and this process, and parses back', () => {
    const path = temporaryPath('/out/case 1.nii.gz');
    expect(path).toMatch(/^\/out\/\.case 1\.nii\.gz\.axial-[0-9a-f]{8}-\d+-[0-9a-f]{8}\.tmp$/);
    expect(temporaryOwner(path.slice(5))).toEqual({ host: thisHost, pid: process.pid });
    expect(temporaryOwner('.case.nii.gz.0123456789ab.tmp')).toBeUndefined();
  });

  it('fits a 255-byte file name limit for a long output name', async () => {
    const long = `${'é'.repeat(120)}.nii.gz`;
    const path = temporaryPath(join('/out', long));
    expect(Buffer.byteLength(path.slice(5))).toBeLessThanOrEqual(255);
    const dir = folder();
    await writeFileAtomic(join(dir, long), [Buffer.from('whole')]);
    expect(readdirSync(dir)).toEqual([long]);
  });
});

describe('removeStaleTemporaries', () => {
  it("removes this host's temporaries whose writer is dead and any of ours past a day; keeps live writers' and other files", async () => {
    const dir = folder();
    const dead = name('a.nii.gz', thisHost, deadPid());
    const live = name('b.nii.gz', thisHost, sleeper.pid!);
    const mine = name('c.nii.gz', thisHost, process.pid);
    const remoteFresh = name('d.nii.gz', otherHost, 12345);
    const remoteOld = name('e.nii.gz', otherHost, 12345);
    const liveButOld = name('f.nii.gz', thisHost, sleeper.pid!);
    const unrelated = ['.g.nii.gz.0123456789ab.tmp', 'h.tmp', '.i.axial-zz-1-0badcafe.tmp', 'j.nii.gz'];
    for (const n of [dead, live, mine, remoteFresh, remoteOld, liveButOld, ...unrelated]) writeFileSync(join(dir, n), 'partial');
    const old = (Date.now() - staleTemporaryAgeMs - 60_000) / 1000;
    for (const n of [remoteOld, liveButOld, ...unrelated]) utimesSync(join(dir, n), old, old);

    const removed = await removeStaleTemporaries(dir, { again: true });
    expect(removed.sort()).toEqual([dead, remoteOld, liveButOld].sort());
    expect(readdirSync(dir).sort()).toEqual([live, mine, remoteFresh, ...unrelated].sort());
  });

  it.skipIf(process.platform !== 'linux' || process.getuid?.() !== 0)(
    'keeps the temporary of a writer in another pid namespace of this host (a container), whose pid means nothing here',
    async () => {
      // The tag such a writer puts in its names: same host name, its own pid namespace (unshare needs root).
      const script = `import(${JSON.stringify(join(repoRoot, 'dist', 'main', 'io', 'temporaryPath.js'))}).then((m) => process.stdout.write(m.thisHost))`;
      const run = spawnSync('unshare', ['--pid', '--fork', process.execPath, '-e', script], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const containerHost = run.stdout;
      expect(containerHost).toMatch(/^[0-9a-f]{8}$/);
      expect(containerHost).not.toBe(thisHost);
      const dir = folder();
      const theirs = name('a.nii.gz', containerHost, deadPid());
      writeFileSync(join(dir, theirs), 'being written in a container');
      expect(await removeStaleTemporaries(dir, { again: true })).toEqual([]);
      expect(readdirSync(dir)).toEqual([theirs]);
    },
  );

  it('never follows or removes a symlink wearing our name', async () => {
    const dir = folder();
    const target = join(scratch, 'precious.txt');
    writeFileSync(target, 'keep');
    const link = name('k.nii.gz', thisHost, deadPid());
    symlinkSync(target, join(dir, link));
    expect(await removeStaleTemporaries(dir, { again: true })).toEqual([]);
    expect(existsSync(join(dir, link))).toBe(true);
    expect(existsSync(target)).toBe(true);
  });

  it('runs on the next write to the folder (a killed write is cleaned up), and once per folder', async () => {
    const dir = folder();
    const killed = name('out.nii.gz', thisHost, deadPid());
    writeFileSync(join(dir, killed), 'half a volume');
    await writeFileAtomic(join(dir, 'out.nii.gz'), [Buffer.from('whole')]);
    expect(readdirSync(dir)).toEqual(['out.nii.gz']);
    const later = name('out.nii.gz', thisHost, deadPid());
    writeFileSync(join(dir, later), 'half');
    await writeFileAtomic(join(dir, 'other.nii.gz'), [Buffer.from('whole')]);
    expect(readdirSync(dir).sort()).toEqual([later, 'other.nii.gz', 'out.nii.gz'].sort());
  });
});
