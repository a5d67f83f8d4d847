import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { BatchSummary } from '../../../main/cli/runSegmentBatch.js';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { dice } from '../../phantoms/makeDemoPhantom.js';
import { axialOnPath, caseOutcomes, caseSummaryLine, cohortTruth, demoBundle, docBlock, makeCohort, type Cohort } from './segmentCohort.js';

/** The parts of the doc's Job that the pods' command depends on. */
interface IndexedJob {
  spec: {
    completionMode: string;
    completions: number;
    template: { spec: { containers: { command: string[]; args: string[]; env: { name: string; value: string }[] }[] } };
  };
}

/** 10 cases over 4 indexes (3, 3, 2, 2); position 6, the corrupt case, falls to index 2. */
const caseCount = 10;
const corrupt = 6;

interface Pod {
  readonly index: number;
  readonly code: number | null;
  readonly stderr: string;
}

describe('the Kubernetes Indexed Job of docs/segment-cli.md, its command run as one process per index', () => {
  // Made in beforeAll, not here: a describe's body runs even when its tests are filtered out.
  let scratch: string;
  let out: string;
  const job = parse(docBlock('yaml', 'completionMode: Indexed')) as IndexedJob;
  const container = job.spec.template.spec.containers[0]!;
  let cohort: Cohort;
  let path: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'axial-indexed-job-'));
    out = join(scratch, 'labels');
    cohort = await makeCohort(join(scratch, 'ct'), caseCount, corrupt);
    path = `${axialOnPath(join(scratch, 'bin'))}:${process.env.PATH}`;
  }, 120_000);
  afterAll(() => scratch && rmSync(scratch, { recursive: true, force: true }));

  /** What the pod of `index` runs: the container's command and args with its env, the paths on the generated cohort. */
  const pod = (index: number): Promise<Pod> => {
    const env: NodeJS.ProcessEnv = { PATH: path, HOME: homedir() };
    for (const { name, value } of container.env) env[name] = value;
    Object.assign(env, { MODEL: demoBundle, CASES: cohort.list, OUT: out, JOB_COMPLETION_INDEX: String(index) });
    const [program, ...args] = [...container.command, ...container.args];
    const child = spawn(program!, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (code) => done({ index, code, stderr }));
    });
  };

  it('passes the completion count as SHARDS, equal to completions', () => {
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.completions).toBe(4);
    expect(container.env.find((e) => e.name === 'SHARDS')?.value).toBe(String(job.spec.completions));
    expect(container.args.join(' ')).toContain('--shard $((JOB_COMPLETION_INDEX+1))/$SHARDS --skip-existing');
  });

  it('segments every case exactly once over indexes 0..3; the corrupt case fails its index alone, and a retry of it redoes nothing', async () => {
    const completions = job.spec.completions;
    const pods = await Promise.all(Array.from({ length: completions }, (_, index) => pod(index)));
    const badIndex = corrupt % completions;
    expect(pods.map((p) => p.code)).toEqual(pods.map((p) => (p.index === badIndex ? 1 : 0)));

    const outcomes = caseOutcomes(pods.map((p) => p.stderr));
    for (const [position, c] of cohort.cases.entries()) {
      expect(outcomes.get(c.name), c.name).toEqual([c.seed === null ? 'failed' : 'ok']);
      const shard = JSON.parse(readFileSync(join(out, `axial-summary.shard-${(position % completions) + 1}-of-${completions}.json`), 'utf8')) as BatchSummary;
      expect(shard.results.map((r) => r.case)).toContain(c.name);
      if (c.seed === null) continue;
      const { volume } = await readNifti(join(out, `${c.name}.nii.gz`));
      expect(dice(volume.voxels, cohortTruth(c.seed), 1), `${c.name} organ Dice`).toBeGreaterThanOrEqual(0.95);
    }
    const summaries = Array.from(
      { length: completions },
      (_, i) => JSON.parse(readFileSync(join(out, `axial-summary.shard-${i + 1}-of-4.json`), 'utf8')) as BatchSummary,
    );
    expect(summaries.map((s) => [s.cases, s.ok, s.failed])).toEqual([
      [3, 3, 0],
      [3, 3, 0],
      [2, 1, 1],
      [2, 2, 0],
    ]);
    const bad = cohort.cases[corrupt]!.name;
    expect((JSON.parse(readFileSync(join(out, `${bad}.axial.json`), 'utf8')) as CaseSummary).error?.code).toBe('NIFTI_TRUNCATED');
    expect(existsSync(join(out, `${bad}.nii.gz`))).toBe(false);

    // Kubernetes restarts the failed index: the retry reruns the corrupt case only.
    const shard = cohort.cases.filter((_, position) => position % completions === badIndex);
    const done = shard.filter((c) => c.seed !== null).map((c) => c.name);
    const mtimes = done.map((name) => statSync(join(out, `${name}.nii.gz`)).mtimeMs);
    const retry = await pod(badIndex);
    expect(retry.code).toBe(1);
    expect([...caseOutcomes([retry.stderr])]).toEqual(shard.map((c) => [c.name, [c.seed === null ? 'failed' : 'skipped']]));
    expect(done.map((name) => statSync(join(out, `${name}.nii.gz`)).mtimeMs)).toEqual(mtimes);

    console.log(
      [
        ...[...pods, retry].map((p, n) => `== JOB_COMPLETION_INDEX=${p.index}${n === completions ? ' (retry)' : ''}, exit ${p.code}\n${p.stderr.trim()}`),
        'the per-case summaries:',
        ...cohort.cases.map((c) => caseSummaryLine(out, c.name)),
      ].join('\n'),
    );
  }, 300_000);
});
