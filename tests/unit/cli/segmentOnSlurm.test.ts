import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../../main/cli/runSegmentBatch.js';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { dice } from '../../phantoms/makeDemoPhantom.js';
import { axialOnPath, caseOutcomes, caseSummaryLine, cohortTruth, demoBundle, docBlock, docText, makeCohort, type Cohort } from './segmentCohort.js';
import { checkSlurm } from './checkSlurm.js';
import { startSlurmCluster, type SlurmCluster } from './startSlurmCluster.js';
import { waitFor } from './waitFor.js';

const hasSlurm = checkSlurm();
const title = hasSlurm ? 'on a one-node Slurm cluster (munged, slurmctld, slurmd)' : 'SKIPPED: slurm-wlm and munge are not installed';

/** 15 cases over 4 tasks (4, 4, 4, 3); the corrupt case is position 3, in task 3's shard; task 1 is cancelled. */
const caseCount = 15;
const corrupt = 3;
const victim = 1;

/** Each array task's `<job>_<task> <JobState> ExitCode=<code>:<signal>`, from `scontrol -o show job`, by task. */
function arrayTaskStates(slurm: SlurmCluster, job: string): string[] {
  return slurm
    .run('scontrol', ['-o', 'show', 'job', job])
    .trim()
    .split('\n')
    .map((line) => ({ task: Number(/ArrayTaskId=(\d+)/.exec(line)?.[1]), state: /JobState=(\S+)/.exec(line)?.[1], exit: /ExitCode=(\S+)/.exec(line)?.[1] }))
    .sort((a, b) => a.task - b.task)
    .map((t) => `${job}_${t.task} ${t.state} ExitCode=${t.exit}`);
}

/** `poll(job)`: whether the job is still in squeue, keeping each change of its tasks' lines (with the time) in `changes`. */
function queueRecorder(slurm: SlurmCluster): { poll: (job: string) => boolean; changes: string[] } {
  const started = Date.now();
  const changes: string[] = [];
  const poll = (job: string): boolean => {
    const lines = slurm.run('squeue', ['-h', '-r', '-j', job, '-o', '%i %T %R']).trim();
    const snapshot = lines.split('\n').join(' | ');
    if (lines !== '' && !changes.at(-1)?.endsWith(` ${snapshot}`)) changes.push(`+${((Date.now() - started) / 1000).toFixed(1)} s ${snapshot}`);
    return lines !== '';
  };
  return { poll, changes };
}

describe.skipIf(!hasSlurm)(`the job array of docs/segment-cli.md, submitted unchanged ${title}`, () => {
  // Made in beforeAll, not here: a describe's body runs even when its tests are skipped or filtered out.
  let scratch: string;
  let jobs: string;
  let out: string;
  let cluster: SlurmCluster | undefined;
  let cohort: Cohort;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'axial-slurm-test-'));
    jobs = join(scratch, 'jobs');
    out = join(scratch, 'labels');
    mkdirSync(jobs);
    cohort = await makeCohort(join(scratch, 'ct'), caseCount, corrupt);
    cluster = await startSlurmCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it('segments every case once, resumes a cancelled task without redoing its cases, and records the corrupt case', async () => {
    const slurm = cluster!;
    const script = docBlock('bash', '#SBATCH --array');
    writeFileSync(join(jobs, 'axial-segment.sh'), script);
    const tasks = Number(/^#SBATCH --array=0-(\d+)$/m.exec(script)?.[1]) + 1;
    expect(tasks).toBe(4);
    const env = { MODEL: demoBundle, CASES: cohort.list, OUT: out, PATH: `${axialOnPath(join(scratch, 'bin'))}:${process.env.PATH}` };
    const submit = (): string => slurm.run('sbatch', ['--parsable', 'axial-segment.sh'], { cwd: jobs, env }).trim().split(';')[0]!;
    const log = (job: string, task: number): string => {
      const path = join(jobs, `axial-${job}_${task}.log`);
      return existsSync(path) ? readFileSync(path, 'utf8') : '';
    };
    const queue = queueRecorder(slurm);
    const queued = queue.poll;
    const states = (job: string): string[] => arrayTaskStates(slurm, job);
    const shard = (task: number): readonly string[] => cohort.cases.filter((_, position) => position % tasks === task).map((c) => c.name);
    const victimCases = shard(victim);

    // First submission: cancel the victim task once its log shows a finished case, while it has more to do.
    const first = submit();
    const victimOk = (): string[] => [...caseOutcomes([log(first, victim)])].filter(([, o]) => o.includes('ok')).map(([name]) => name);
    await waitFor(`task ${victim} to finish a case`, 180, () => (queued(first), victimOk().length > 0));
    slurm.run('scancel', [`${first}_${victim}`]);
    await waitFor('the first array to end', 180, () => !queued(first));
    const firstStates = states(first);
    const doneBefore = victimCases.filter((name) => existsSync(join(out, `${name}.nii.gz`)));
    expect(firstStates).toEqual([
      `${first}_0 COMPLETED ExitCode=0:0`,
      expect.stringMatching(/_1 CANCELLED /),
      `${first}_2 COMPLETED ExitCode=0:0`,
      `${first}_3 FAILED ExitCode=1:0`,
    ]);
    expect(doneBefore.length).toBeGreaterThanOrEqual(1);
    expect(doneBefore.length).toBeLessThan(victimCases.length);
    expect(existsSync(join(out, `axial-summary.shard-${victim + 1}-of-${tasks}.json`))).toBe(false);
    const identity = (name: string): string => {
      const s = statSync(join(out, `${name}.nii.gz`));
      return `${s.ino}:${s.mtimeMs}:${readFileSync(join(out, `${name}.axial.json`), 'utf8')}`;
    };
    const before = new Map(cohort.cases.filter((c) => existsSync(join(out, `${c.name}.nii.gz`))).map((c) => [c.name, identity(c.name)]));
    expect(before.size).toBe(caseCount - 1 - (victimCases.length - doneBefore.length));

    // The same script again: only the cancelled task's remaining cases (and the corrupt one) run.
    const second = submit();
    await waitFor('the second array to end', 180, () => !queued(second));
    const secondStates = states(second);
    expect(secondStates).toEqual([0, 1, 2, 3].map((t) => `${second}_${t} ${t === 3 ? 'FAILED ExitCode=1:0' : 'COMPLETED ExitCode=0:0'}`));

    const logs = [0, 1, 2, 3].flatMap((t) => [log(first, t), log(second, t)]);
    const outcomes = caseOutcomes(logs);
    for (const c of cohort.cases) {
      const seen = outcomes.get(c.name) ?? [];
      if (c.seed === null) {
        expect(seen, c.name).toEqual(['failed', 'failed']);
        continue;
      }
      expect(
        seen.filter((o) => o === 'ok'),
        c.name,
      ).toHaveLength(1);
      const rerunAfterCancel = victimCases.includes(c.name) && !doneBefore.includes(c.name);
      expect([...seen].sort(), c.name).toEqual(rerunAfterCancel ? ['ok'] : ['ok', 'skipped']);
      if (!rerunAfterCancel) expect(identity(c.name), `${c.name} untouched by the resubmission`).toBe(before.get(c.name));
      const { volume } = await readNifti(join(out, `${c.name}.nii.gz`));
      expect(dice(volume.voxels, cohortTruth(c.seed), 1), `${c.name} organ Dice`).toBeGreaterThanOrEqual(0.95);
    }
    const bad = JSON.parse(readFileSync(join(out, `${cohort.cases[corrupt]!.name}.axial.json`), 'utf8')) as CaseSummary;
    expect(bad.status).toBe('failed');
    expect(bad.error?.code).toMatch(/^NIFTI_|^INPUT_/);
    expect(existsSync(join(out, `${cohort.cases[corrupt]!.name}.nii.gz`))).toBe(false);
    // The doc's way of finding the failed cases finds this one alone.
    const findFailed = /`(grep -l [^`]+ "\$OUT"\/\*\.axial\.json)`/.exec(docText().replace(/\s*\n\s*/g, ' '))?.[1];
    expect(findFailed).toBeDefined();
    expect(spawnSync('/bin/sh', ['-c', findFailed!], { env: { ...process.env, OUT: out }, encoding: 'utf8' }).stdout).toBe(
      `${join(out, cohort.cases[corrupt]!.name)}.axial.json\n`,
    );
    const summaries = [1, 2, 3, 4].map((i) => JSON.parse(readFileSync(join(out, `axial-summary.shard-${i}-of-4.json`), 'utf8')) as BatchSummary);
    expect(summaries.map((s) => [s.cases, s.ok, s.failed, s.skipped])).toEqual([
      [4, 0, 0, 4],
      [4, victimCases.length - doneBefore.length, 0, doneBefore.length],
      [4, 0, 0, 4],
      [3, 0, 1, 2],
    ]);
    // The killed write's temporary file (if the cancel caught one) was swept by the resubmission.
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);

    console.log(
      [
        'squeue -r -o "%i %T %R", each change as polled:',
        ...queue.changes,
        'scontrol show job, after each submission:',
        ...firstStates,
        ...secondStates,
        `task ${victim} (shard ${victim + 1}/4: ${victimCases.join(' ')}) was cancelled after ${doneBefore.join(' ')}`,
        ...[0, 1, 2, 3].flatMap((t) => [`== axial-${first}_${t}.log`, log(first, t).trim(), `== axial-${second}_${t}.log`, log(second, t).trim()]),
        'the per-case summaries:',
        ...cohort.cases.map((c) => caseSummaryLine(out, c.name)),
      ].join('\n'),
    );
  }, 400_000);
});

describe('checkSlurm', () => {
  it('skips where Slurm is missing, but fails under CI', () => {
    const bare = { PATH: join(tmpdir(), 'no-such-folder') };
    expect(checkSlurm(bare)).toBe(false);
    expect(() => checkSlurm({ ...bare, CI: 'true' })).toThrow(/missing .*sbatch.*slurm-wlm and munge/);
  });
});
