import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult, VolumeHeader } from '../../../core/contract.js';
import { debianPython } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

/**
 * A 4D series through the services (makeTimeSeries.py: 12 real ct-abdomen-j2k slices × 4 time points,
 * values + 100 per time point): one series entry with its picker facts, volume:load's timePoint, and a
 * mask made on time point 0 that outlives its volume (main keeps 4) by moving to a later time point.
 */
describe.skipIf(!hasSharedData)(`createAppServices: a 4D series (${noSharedDataReason})`, () => {
  let h: Harness;
  let folder: string;
  let scan: ScanResult;

  const load = async (timePoint?: number): Promise<VolumeHeader> =>
    valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1, ...(timePoint === undefined ? {} : { timePoint }) }));
  const mean = (header: VolumeHeader): number => {
    const bytes = h.services.getData('volume', header.volumeId)!;
    const voxels = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    let sum = 0;
    for (const v of voxels) sum += v;
    return sum / voxels.length;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-services-4d-'));
    const fixtures = join(repoRoot, 'tests', 'fixtures');
    execFileSync(debianPython, [join(fixtures, 'makeTimeSeries.py'), sharedData('dicom/ct-abdomen-j2k'), folder], { cwd: fixtures, encoding: 'utf8' });
    h = createHarness();
    h.answerNextOpen(folder);
    scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
  }, 120_000);
  afterAll(async () => {
    await h.services.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('offers the series once, with 4 time points and its picker facts', () => {
    expect(scan.series).toEqual([
      {
        index: 1,
        uid: expect.any(String),
        description: 'REST fMRI',
        modality: 'MR',
        format: 'dicom',
        files: 48,
        timePoints: 4,
        seriesNumber: 7,
        images: 48,
        dimensions: [512, 512, 12],
      },
    ]);
  });

  it('loads time point t (default 0) with timePoint/timePoints in the header, each 100 above the one before', async () => {
    const first = await load();
    expect([first.timePoint, first.timePoints, first.dimensions]).toEqual([0, 4, [512, 512, 12]]);
    const third = await load(2);
    expect([third.timePoint, third.timePoints]).toEqual([2, 4]);
    expect(mean(third) - mean(first)).toBeCloseTo(200, 6);
    const past = await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1, timePoint: 4 });
    expect(past).toMatchObject({ ok: false, error: { code: 'DICOM_SERIES_NOT_FOUND' } });
  }, 60_000);

  it('keeps a mask made on time point 0 after that volume is forgotten: it moves to the newest time point', async () => {
    const t0 = await load(0);
    const mask = valueOf(await h.services.invoke('mask:create', { volumeId: t0.volumeId }));
    for (const t of [1, 2, 3, 1]) await load(t); // 4 volumes kept: time point 0's goes
    expect(h.services.getData('volume', t0.volumeId)).toBeUndefined();
    const edited = await h.services.invoke('mask:edit', { maskId: mask.maskId, edits: [], segments: [] });
    expect(edited.ok).toBe(true);
    expect(valueOf(await h.services.invoke('mask:status', { maskId: mask.maskId }))).toBeDefined();
  }, 60_000);
});
