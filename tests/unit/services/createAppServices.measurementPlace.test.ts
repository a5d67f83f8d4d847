import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** A 4D NIfTI-1 of int16 voxels `i % 100`, nt time points. */
function write4dNifti(path: string, [nx, ny, nz, nt]: readonly number[]): void {
  const h = new DataView(new ArrayBuffer(352));
  h.setInt32(0, 348, true);
  [4, nx!, ny!, nz!, nt!, 1, 1, 1].forEach((d, n) => h.setInt16(40 + 2 * n, d, true));
  h.setInt16(70, 4, true); // datatype int16
  h.setInt16(72, 16, true);
  [1, 1, 1, 1, 1].forEach((p, n) => h.setFloat32(76 + 4 * n, p, true));
  h.setFloat32(108, 352, true); // vox_offset
  h.setFloat32(112, 1, true); // scl_slope
  h.setUint8(123, 10); // xyzt_units: mm, s
  h.setInt16(254, 1, true); // sform_code
  for (let r = 0; r < 3; r++) h.setFloat32(280 + 20 * r, 1, true);
  new Uint8Array(h.buffer).set([0x6e, 0x2b, 0x31, 0], 344);
  const voxels = new Int16Array(nx! * ny! * nz! * nt!).map((_, i) => i % 100);
  writeFileSync(path, Buffer.concat([new Uint8Array(h.buffer), new Uint8Array(voxels.buffer)]));
}

describe('createAppServices: stepping a 4D series along time keeps where its measurements go', () => {
  it('loading another time point after "beside the study" is switched on keeps saving in the data folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'axial-measurement-place-4d-'));
    const dataDir = join(root, 'userData');
    const study = join(root, 'study');
    mkdirSync(study);
    const file = join(study, 'fourd.nii');
    write4dNifti(file, [8, 8, 4, 3]);
    const h = createHarness({ dataDir });
    try {
      h.answerNextOpen(file);
      const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
      const first: VolumeHeader = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
      const saved = valueOf(await h.services.invoke('measurements:save', { volumeId: first.volumeId, measurements: [lineAt('a', 1)] }));
      expect(saved).toMatchObject({ beside: false });
      const own = sidecarPaths({ uid: '', files: [file] }, dataDir).own!;
      expect(existsSync(own)).toBe(true);

      valueOf(await h.services.invoke('settings:set', { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: true }));
      // Cine, Ctrl+→ and the prefetch load the next time point of the same open series.
      const next: VolumeHeader = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1, timePoint: 1 }));
      expect(next.measurements.map((m) => m.id)).toEqual(['a']);
      const again = valueOf(await h.services.invoke('measurements:save', { volumeId: next.volumeId, measurements: [lineAt('a', 1), lineAt('b', 2)] }));
      expect(again).toMatchObject({ beside: false });
      expect(existsSync(own)).toBe(true);
      expect(readdirSync(study).filter((f) => f.endsWith('.axial-measurements.json'))).toEqual([]);
    } finally {
      await h.services.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
