import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecentStudy } from '../../../core/contract.js';
import { debianPython, runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-services-studies-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real ct-abdomen-j2k series written again with a known patient and study (DOE^JANE^M, CT ABDOMEN, W400/L40), or as an MPRAGE-like MR. */
function studySeries(name: string, mprage = false): string {
  const folder = join(scratch, name);
  const args = [join(repoRoot, 'tests/fixtures/makeStudySeries.py'), sharedData('dicom/ct-abdomen-j2k'), folder, ...(mprage ? ['--mprage'] : [])];
  execFileSync(debianPython, args, { encoding: 'utf8' });
  return folder;
}

/** The grayscale pixels of a PNG data URL (8-bit gray, one IDAT, filter 0 rows, as encodeGrayPng writes). */
function pngPixels(dataUrl: string): { width: number; height: number; pixels: number[] } {
  const bytes = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  expect([bytes[24], bytes[25]]).toEqual([8, 0]);
  const idat = bytes.indexOf('IDAT', 0, 'latin1');
  const rows = inflateSync(bytes.subarray(idat + 4, idat + 4 + bytes.readUInt32BE(idat - 4)));
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) pixels.push(...rows.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)));
  return { width, height, pixels };
}

/**
 * numpy's thumbnail of the series: slices sorted along the normal, the middle one (floor(n/2)) rescaled
 * to HU, sampled at the nearest voxel of each of w×h pixel centres, through W400/L40 rounded half up.
 */
const numpyThumbnail = `
import sys, os, json, numpy as np, pydicom
folder, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ds = [pydicom.dcmread(os.path.join(folder, f)) for f in os.listdir(folder)]
iop = np.array(ds[0].ImageOrientationPatient, float); normal = np.cross(iop[:3], iop[3:])
ds.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
mid = ds[len(ds) // 2]
hu = mid.pixel_array.astype(np.float64) * float(mid.RescaleSlope) + float(mid.RescaleIntercept)
cols = np.minimum(mid.Columns - 1, np.floor((np.arange(w) + 0.5) * mid.Columns / w).astype(int))
rows = np.minimum(mid.Rows - 1, np.floor((np.arange(h) + 0.5) * mid.Rows / h).astype(int))
sampled = hu[np.ix_(rows, cols)]
low, width = 40 - 400 / 2, 400
print(json.dumps(np.clip(np.floor((sampled - low) / width * 255 + 0.5), 0, 255).astype(int).ravel().tolist()))
`;

describe.skipIf(!hasSharedData)(`recent studies through the services (${noSharedDataReason})`, () => {
  const dataDir = join(scratch, 'data');
  let ct: string;
  let mr: string;
  let h: Harness;

  beforeAll(() => {
    ct = studySeries('ct');
    mr = studySeries('mr', true);
    h = createHarness({ dataDir });
  }, 120_000);
  afterAll(() => h.services.dispose());

  const openAndLoad = async (harness: Harness, folder: string): Promise<void> => {
    harness.answerNextOpen(folder);
    const scan = valueOf(await harness.services.invoke('volume:open', { source: 'folder' }))!;
    valueOf(await harness.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: scan.series[0]!.index }));
  };
  const list = async (search?: string): Promise<readonly RecentStudy[]> =>
    valueOf(await h.services.invoke('studies:list', search === undefined ? {} : { search })).studies;

  it('lists a loaded series with its patient, study and a thumbnail whose pixels are the middle slice in W400/L40 (numpy)', async () => {
    expect(await list()).toEqual([]);
    await openAndLoad(h, ct);
    const [study, ...others] = await list();
    expect(others).toEqual([]);
    expect(study).toMatchObject({
      patientName: 'DOE, JANE M',
      patientId: 'AX-0042',
      birthDate: '1970-02-03',
      studyDate: '2023-01-15',
      description: 'CT ABDOMEN',
      modalities: ['CT'],
      sourceName: 'ct',
    });
    expect(study!.key).toMatch(/^[0-9a-f]{32}$/);
    const [series] = study!.series;
    expect(series).toMatchObject({ description: 'Abdomen 3.0', number: 3, modality: 'CT', images: 20, dimensions: [512, 512, 20] });
    const thumbnail = pngPixels(series!.thumbnail!);
    expect([thumbnail.width, thumbnail.height]).toEqual([96, 96]);
    const expected = runPythonJson<number[]>(numpyThumbnail, [ct, '96', '96']);
    expect(thumbnail.pixels).toHaveLength(expected.length);
    // A few named pixels first (corner: air, black; centre: soft tissue), then every one.
    for (const at of [0, 48 * 96 + 48, 30 * 96 + 60, 70 * 96 + 20]) expect(thumbnail.pixels[at], `pixel ${at}`).toBe(expected[at]);
    expect(thumbnail.pixels[0]).toBe(0);
    expect(new Set(thumbnail.pixels).size).toBeGreaterThan(100);
    expect(thumbnail.pixels).toEqual(expected);
  }, 120_000);

  it('searches, reopens a study by key with its progress, and keeps the list in the data folder across a restart', async () => {
    await openAndLoad(h, mr);
    expect((await list()).map((s) => s.series[0]!.description)).toEqual(['t1_mprage_sag_p2_iso', 'Abdomen 3.0']);
    expect((await list('MPRAGE')).map((s) => s.modalities)).toEqual([['MR']]);
    expect((await list('jane')).length).toBe(2);
    expect(await list('nobody')).toEqual([]);
    const ctKey = (await list('abdomen 3'))[0]!.key;

    const before = h.events.length;
    const scan = valueOf(await h.services.invoke('studies:open', { key: ctKey }))!;
    expect(scan).toMatchObject({ name: 'ct', skipped: 0 });
    expect(scan.series.map((s) => [s.description, s.files])).toEqual([['Abdomen 3.0', 20]]);
    expect(h.events.slice(before).some((e) => e.event === 'volume:progress')).toBe(true);
    const header = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
    expect(header.dimensions).toEqual([512, 512, 20]);
    expect((await list())[0]!.key).toBe(ctKey);

    // The first services' writes are queued behind their answers: closing them waits for the last.
    await h.services.dispose();
    h = createHarness({ dataDir });
    const kept = valueOf(await h.services.invoke('studies:list', {})).studies;
    expect(kept.map((s) => s.series[0]!.description)).toEqual(['Abdomen 3.0', 't1_mprage_sag_p2_iso']);
  }, 120_000);

  it('removes a study; an unknown key and a study whose folder has gone give coded errors, the latter naming the folder', async () => {
    const [first, second] = valueOf(await h.services.invoke('studies:list', {})).studies;
    expect(valueOf(await h.services.invoke('studies:remove', { key: second!.key }))).toEqual({ removed: true });
    expect(valueOf(await h.services.invoke('studies:remove', { key: second!.key }))).toEqual({ removed: false });
    expect(await h.services.invoke('studies:open', { key: second!.key })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
    renameSync(ct, `${ct}-moved`);
    const gone = await h.services.invoke('studies:open', { key: first!.key });
    expect(gone).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_FOUND' } });
    expect(gone.ok ? '' : gone.error.message).toContain(ct);
    expect(await h.services.invoke('studies:open', { key: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
  }, 60_000);
});
