import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult, VolumeHeader } from '../../../core/contract.js';
import { debianPython } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-multi-'));

/** What makeMultiSequenceStudy.py prints. */
interface Study {
  readonly study: string;
  readonly bundle: string;
  readonly voxels: Readonly<Record<string, number>>;
}

describe('createAppServices: a model of four input images', () => {
  let h: Harness;
  let study: Study;
  let scan: ScanResult;
  const indexOf = (description: string): number => scan.series.find((s) => s.description === description)!.index;
  const load = async (description: string): Promise<VolumeHeader> =>
    valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: indexOf(description) }));

  beforeAll(async () => {
    const out = execFileSync(debianPython, [join(repoRoot, 'tests', 'fixtures', 'makeMultiSequenceStudy.py'), scratch], { encoding: 'utf8' })
      .trim()
      .split('\n');
    study = JSON.parse(out[out.length - 1]!) as Study;
    h = createHarness();
    h.answerNextOpen(study.study);
    scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
    h.answerNextOpen(study.bundle);
  }, 60_000);
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('model:inputs names the channels from the bundle (read in the inference process) and pre-chooses each series by description', async () => {
    const t1c = await load('AX T1 POST GD');
    const inputs = valueOf(await h.services.invoke('model:inputs', { volumeId: t1c.volumeId, model: 'choose' }));
    expect(h.openRequests).toEqual(['folder', 'model']);
    expect(inputs.modelName).toBe('Generated brain tumour regions');
    expect(inputs.channels).toEqual([
      { name: 'T1c', seriesIndex: indexOf('AX T1 POST GD') },
      { name: 'T1', seriesIndex: indexOf('AX T1') },
      { name: 'T2', seriesIndex: indexOf('AX T2 TSE') },
      { name: 'FLAIR', seriesIndex: indexOf('AX FLAIR') },
    ]);
    expect(inputs.series.map((s) => s.description).sort()).toEqual(['AX FLAIR', 'AX T1', 'AX T1 POST GD', 'AX T2 TSE']);
    // The demo model takes one image: no channels to choose.
    const demo = valueOf(await h.services.invoke('model:inputs', { volumeId: t1c.volumeId, model: 'demo' }));
    expect(demo.channels).toEqual([]);
  }, 60_000);

  it('runs on the chosen series into one segmentation: a layer per overlapping region, nested, with the exact counts', async () => {
    const t1c = await load('AX T1 POST GD');
    const inputs = ['AX T1 POST GD', 'AX T1', 'AX T2 TSE', 'AX FLAIR'].map((d, n) => ({ channel: ['T1c', 'T1', 'T2', 'FLAIR'][n]!, seriesIndex: indexOf(d) }));
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: t1c.volumeId, model: 'choose', device: 'cpu', inputs }));
    const done = await h.waitFor('segmentation:done', (e) => e.jobId === jobId);
    const mask = valueOf(done.result);
    // Largest first (drawn under the others): whole tumour, core, enhancing rim.
    expect(mask.segments.map((s) => [s.layer, s.value, s.name, s.voxels])).toEqual([
      [0, 1, 'Whole tumor', expect.any(Number)],
      [1, 1, 'Tumor core', study.voxels['Tumor core']],
      [2, 1, 'Enhancing tumor', study.voxels['Enhancing tumor']],
    ]);
    const whole = mask.segments[0]!.voxels;
    expect(Math.abs(whole - study.voxels['Whole tumor']!) / study.voxels['Whole tumor']!).toBeLessThan(0.03);
    expect(mask.segments.every((s) => s.algorithmType === 'AUTOMATIC')).toBe(true);
    // FLAIR came on its own grid: the run says it was resampled.
    expect(mask.warnings.join(' ')).toMatch(/FLAIR/);
  }, 120_000);

  it('sends the chosen first image, not the shown series: shown T1 (same grid), the regions are those of the T1c run', async () => {
    const t1 = await load('AX T1');
    const inputs = ['AX T1 POST GD', 'AX T1', 'AX T2 TSE', 'AX FLAIR'].map((d, n) => ({ channel: ['T1c', 'T1', 'T2', 'FLAIR'][n]!, seriesIndex: indexOf(d) }));
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: t1.volumeId, model: 'choose', device: 'cpu', inputs }));
    const mask = valueOf((await h.waitFor('segmentation:done', (e) => e.jobId === jobId)).result);
    expect(mask.volumeId).toBe(t1.volumeId);
    // The rim is where T1c is bright: had the shown T1 gone in as T1c, it would be empty.
    expect(mask.segments.map((s) => [s.name, s.voxels]).slice(1)).toEqual([
      ['Tumor core', study.voxels['Tumor core']],
      ['Enhancing tumor', study.voxels['Enhancing tumor']],
    ]);
  }, 120_000);

  it('refuses inputs that do not name the channels of the model in its order', async () => {
    const t1c = await load('AX T1 POST GD');
    const order = ['AX T1 POST GD', 'AX T1', 'AX T2 TSE', 'AX FLAIR'].map(indexOf);
    for (const channels of [
      ['T1', 'T1c', 'T2', 'FLAIR'],
      ['T1c', 'T1', 'T2', 'T2'],
      ['T1c', 'T1', 'T2'],
    ]) {
      const inputs = channels.map((channel, n) => ({ channel, seriesIndex: order[n]! }));
      const result = await h.services.invoke('segmentation:run', { volumeId: t1c.volumeId, model: 'choose', device: 'cpu', inputs });
      expect(!result.ok && result.error.code).toBe('IPC_INVALID_ARGUMENTS');
      expect(!result.ok && result.error.message).toMatch(/T1c, T1, T2, FLAIR/);
    }
  }, 60_000);

  it('refuses a run whose first image is another series on another grid than the one shown', async () => {
    const flair = await load('AX FLAIR');
    const inputs = ['AX T1 POST GD', 'AX T1', 'AX T2 TSE', 'AX FLAIR'].map((d, n) => ({ channel: ['T1c', 'T1', 'T2', 'FLAIR'][n]!, seriesIndex: indexOf(d) }));
    // The series load in the job, so the call answers at once and the refusal is the run's outcome.
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: flair.volumeId, model: 'choose', device: 'cpu', inputs }));
    const { result } = await h.waitFor('segmentation:done', (e) => e.jobId === jobId);
    expect(!result.ok && result.error.code).toBe('SEGMENTATION_GRID_MISMATCH');
    expect(!result.ok && result.error.message).toMatch(/first image \(T1c\)/);
  }, 60_000);
});
