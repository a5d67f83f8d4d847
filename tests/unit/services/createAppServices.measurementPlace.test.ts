import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement, VolumeHeader } from '../../../core/contract.js';
import { sidecarPaths } from '../../../main/measurements/measurementSidecar.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-measurement-place-'));
const plane = { origin: [0, 0, 0], column: [1, 0, 0], row: [0, 1, 0], normal: [0, 0, 1] } as Measurement['plane'];
const lineAt = (id: string, y: number): Measurement => ({
  id,
  name: id,
  kind: 'line',
  view: 'axial',
  points: [
    [0, y, 0],
    [10, y, 0],
  ],
  plane,
  values: { lengthMm: 10 },
});

async function load(h: Harness, path: string): Promise<VolumeHeader> {
  h.answerNextOpen(path);
  const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
  return valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
}

describe.skipIf(!hasSharedData)(`createAppServices: where a series' measurements go is fixed when it is loaded (${noSharedDataReason})`, () => {
  const dataDir = join(scratch, 'userData');
  const study = join(scratch, 'study');
  const file = join(study, 'lesion.nii.gz');
  let h: Harness;

  beforeAll(() => {
    mkdirSync(study);
    copyFileSync(sharedData('nifti/niivue/lesion.nii.gz'), file);
    h = createHarness({ dataDir });
  });
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps saving the open series in the data folder after "beside the study" is switched on, and beside it once reopened', async () => {
    const own = sidecarPaths({ uid: '', files: [file] }, dataDir).own!;
    const besideFiles = (): string[] => readdirSync(study).filter((f) => f.endsWith('.axial-measurements.json'));
    const header = await load(h, file);
    expect(valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [lineAt('a', 1)] }))).toMatchObject({
      beside: false,
    });
    expect(existsSync(own)).toBe(true);

    valueOf(await h.services.invoke('settings:set', { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: true }));
    const second = valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [lineAt('a', 1), lineAt('b', 2)] }));
    expect(second).toMatchObject({ beside: false });
    expect(JSON.parse(readFileSync(own, 'utf8')).measurements.map((m: Measurement) => m.id)).toEqual(['a', 'b']);
    expect(besideFiles()).toEqual([]);

    const reopened = await load(h, file);
    expect(reopened.measurements.map((m) => m.id)).toEqual(['a', 'b']);
    const third = valueOf(await h.services.invoke('measurements:save', { volumeId: reopened.volumeId, measurements: [lineAt('c', 3)] }));
    expect(third).toEqual({ fileName: 'lesion.nii.axial-measurements.json', beside: true });
    expect(besideFiles()).toEqual(['lesion.nii.axial-measurements.json']);
  });
});
