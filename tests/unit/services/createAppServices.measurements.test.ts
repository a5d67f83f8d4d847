import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement, VolumeHeader } from '../../../core/contract.js';
import { sidecarPaths } from '../../../main/measurements/measurementSidecar.js';
import { debianPython } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-measurements-'));
/** The anonymised series has an empty SeriesInstanceUID: its sidecar is named after its first slice's file. */
const ctFirstFile = 'CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016592';

const plane = { origin: [-250, -150, -100], column: [0.977, 0, 0], row: [0, 0.977, 0], normal: [0, 0, 2] } as Measurement['plane'];
const line: Measurement = {
  id: 'm1',
  name: 'Aorta, "max"',
  kind: 'line',
  view: 'axial',
  points: [
    [-10.5, 20.25, -90],
    [30.5, 20.25, -90],
  ],
  plane,
  values: { lengthMm: 41 },
};
const ellipse: Measurement = {
  id: 'm2',
  name: '=liver ROI',
  kind: 'ellipse',
  view: 'axial',
  points: [
    [0, 0, -90],
    [12, 0, -90],
    [0, 8, -90],
  ],
  plane,
  values: { areaMm2: Math.PI * 96, stats: { voxels: 316, mean: 55.25, sd: 12.5, min: 3, max: 98 } },
};

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const hashes = (folder: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(folder)
      .filter((f) => !f.includes('.axial-measurements.json'))
      .map((f) => [f, sha256(join(folder, f))]),
  );

async function load(h: Harness, path: string, source: 'file' | 'folder'): Promise<{ header: VolumeHeader; skipped: number; files: number }> {
  h.answerNextOpen(path);
  const scan = valueOf(await h.services.invoke('volume:open', { source }))!;
  const header = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
  return { header, skipped: scan.skipped, files: scan.series[0]!.files };
}

describe.skipIf(!hasSharedData)(`createAppServices: measurement sidecars beside the study, as the user chose, and CSV (${noSharedDataReason})`, () => {
  const dataDir = join(scratch, 'userData');
  const series = join(scratch, 'ct');
  let h: Harness;

  beforeAll(() => {
    cpSync(sharedData('dicom/ct-abdomen-j2k'), series, { recursive: true });
    // The shared data is read-only (r-x); the copy is a user's own writable folder.
    chmodSync(series, 0o755);
    h = createHarness({ dataDir });
    return h.services.invoke('settings:set', { decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: true }).then(valueOf);
  });
  afterAll(async () => {
    await h.services.dispose();
    chmodSync(series, 0o755);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('writes the sidecar beside a copied DICOM series, leaves the images alone, and restores it on reopening', async () => {
    const before = hashes(series);
    const first = await load(h, series, 'folder');
    expect(first.header.measurements).toEqual([]);
    const saved = valueOf(await h.services.invoke('measurements:save', { volumeId: first.header.volumeId, measurements: [line, ellipse] }));
    expect(saved).toEqual({ fileName: `${ctFirstFile}.axial-measurements.json`, beside: true });
    const sidecar = JSON.parse(readFileSync(join(series, saved.fileName), 'utf8'));
    expect(sidecar).toMatchObject({ format: 'axial-measurements', version: 1, series: ctFirstFile, measurements: [line, ellipse] });
    expect(hashes(series)).toEqual(before);
    expect(readdirSync(series).length).toBe(21);

    const again = await load(h, series, 'folder');
    expect(again.files).toBe(20);
    expect(again.skipped).toBe(0);
    expect(again.header.measurements).toEqual([line, ellipse]);
    expect(again.header.warnings.filter((w) => w.includes('measurements'))).toEqual([]);
  });

  it('exports the last saved list as CSV: one row per measurement, quoted names, formula-safe text', async () => {
    const { header } = await load(h, series, 'folder');
    const csvPath = join(scratch, 'out', 'table');
    mkdirSync(join(scratch, 'out'));
    h.answerNextSave(csvPath);
    const saved = valueOf(await h.services.invoke('measurements:export', { volumeId: header.volumeId, format: 'csv' }));
    expect(saved).toEqual({ saved: true, fileName: 'table.csv' });
    expect(h.saveRequests.at(-1)).toEqual({ suggestedName: `${header.description}-measurements.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] });
    const csv = readFileSync(`${csvPath}.csv`, 'utf8').split('\r\n');
    expect(csv).toEqual([
      'measurement,name,kind,view,length_mm,angle_deg,area_mm2,perimeter_mm,voxels,mean,sd,min,max,units,points_lps_mm',
      '1,"Aorta, ""max""",line,axial,41,,,,,,,,,,-10.5 20.25 -90;30.5 20.25 -90',
      `2,'=liver ROI,ellipse,axial,,,${Math.PI * 96},,316,55.25,12.5,3,98,HU,0 0 -90;12 0 -90;0 8 -90`,
      '',
    ]);
    h.answerNextSave(undefined);
    expect(valueOf(await h.services.invoke('measurements:export', { volumeId: header.volumeId, format: 'csv' }))).toEqual({ saved: false });
  });

  it('removes the sidecar when the last measurement is deleted', async () => {
    const { header } = await load(h, series, 'folder');
    valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [] }));
    expect(existsSync(join(series, `${ctFirstFile}.axial-measurements.json`))).toBe(false);
    expect((await load(h, series, 'folder')).header.measurements).toEqual([]);
  });

  it('keeps the measurements of a read-only study folder in the app data folder, per source', async () => {
    const { header } = await load(h, series, 'folder');
    chmodSync(series, 0o555);
    try {
      const saved = valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [line] }));
      // No study or series UID (anonymised): the data folder's copy is keyed by the source's path.
      const fallback = sidecarPaths({ uid: '', files: [join(series, ctFirstFile)] }, dataDir).own!;
      expect(saved.beside).toBe(false);
      expect(join(dataDir, 'measurements', saved.fileName)).toBe(fallback);
      expect(readdirSync(series).some((f) => f.endsWith('.axial-measurements.json'))).toBe(false);
      expect(JSON.parse(readFileSync(fallback, 'utf8')).measurements).toEqual([line]);
      expect((await load(h, series, 'folder')).header.measurements).toEqual([line]);

      const noDataDir = createHarness();
      const other = await load(noDataDir, series, 'folder');
      const refused = await noDataDir.services.invoke('measurements:save', { volumeId: other.header.volumeId, measurements: [line] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'OUTPUT_WRITE_FAILED' } });
      await noDataDir.services.dispose();
    } finally {
      chmodSync(series, 0o755);
    }
  });

  it('reads a damaged sidecar as no measurements with a warning, and moves it aside (not over) at the next save', async () => {
    const stemmed = join(scratch, 'flair');
    mkdirSync(stemmed);
    copyFileSync(sharedData('nifti/niivue/FLAIR.nii.gz'), join(stemmed, 'FLAIR.nii.gz'));
    const damaged = join(stemmed, 'FLAIR.nii.axial-measurements.json');
    writeFileSync(damaged, '{"format":"axial-measurements","version":1,"series":"x","measurements":[{"id":"');
    const { header } = await load(h, join(stemmed, 'FLAIR.nii.gz'), 'file');
    expect(header.measurements).toEqual([]);
    expect(header.warnings).toContain(
      'the measurements file FLAIR.nii.axial-measurements.json could not be read (not a valid measurements file); ' +
        'it will be kept as FLAIR.nii.axial-measurements.json.damaged',
    );
    valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [line] }));
    expect(readFileSync(`${damaged}.damaged`, 'utf8')).toContain('"measurements":[{"id":"');
    expect(JSON.parse(readFileSync(damaged, 'utf8')).measurements).toEqual([line]);
  });

  it('refuses measurements main cannot trust: long names, unknown kinds, wrong point counts, too many points, non-numbers', async () => {
    const { header } = await load(h, series, 'folder');
    const bad: [unknown, string][] = [
      [{ ...line, name: 'x'.repeat(65) }, 'name'],
      [{ ...line, name: '' }, 'name'],
      [{ ...line, kind: 'circle' }, 'kind'],
      [{ ...line, points: [line.points[0]] }, 'points'],
      [{ ...line, kind: 'angle' }, 'points'],
      [{ ...line, kind: 'freehand', points: Array.from({ length: 10001 }, (_, n) => [n, 0, 0]) }, 'points'],
      [
        {
          ...line,
          points: [
            [0, 0, Number.NaN],
            [1, 1, 1],
          ],
        },
        'points',
      ],
      [{ ...line, plane: { ...plane, normal: [0, 0] } }, 'plane'],
      [{ ...line, values: { lengthMm: 1, path: '/etc/passwd' } }, 'values'],
    ];
    for (const [measurement, field] of bad) {
      const result = await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [measurement] });
      expect(result, field).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
      if (!result.ok) expect(result.error.message).toContain(field);
    }
    expect(await h.services.invoke('measurements:save', { volumeId: 'nope', measurements: [] })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ID' } });
  });
});

describe.skipIf(!hasSharedData)(`createAppServices: measurement sidecars in the user's data folder by default (${noSharedDataReason})`, () => {
  const studyUid = '1.2.826.0.1.3680043.2.1125.9999.1';
  const seriesUid = '1.2.826.0.1.3680043.2.1125.9999.2';
  const series = join(scratch, 'identified');
  const renamePatient = `
import sys, os, pydicom
for name in os.listdir(sys.argv[1]):
    path = os.path.join(sys.argv[1], name)
    ds = pydicom.dcmread(path)
    ds.PatientName, ds.PatientID = sys.argv[2], sys.argv[3]
    ds.save_as(path)
`;
  const dataDir = join(scratch, 'ownData');
  let h: Harness;

  beforeAll(() => {
    cpSync(sharedData('dicom/ct-abdomen-j2k'), series, { recursive: true });
    chmodSync(series, 0o755);
    // A study and series with their UIDs, as a scanner writes them (the shared copy is anonymised).
    const script = `
import sys, os, pydicom
for name in os.listdir(sys.argv[1]):
    path = os.path.join(sys.argv[1], name)
    ds = pydicom.dcmread(path)
    ds.StudyInstanceUID = sys.argv[2]
    ds.SeriesInstanceUID = sys.argv[3]
    ds.save_as(path)
`;
    execFileSync('/usr/bin/python3', ['-c', script, series, studyUid, seriesUid]);
    h = createHarness({ dataDir });
  });
  afterAll(() => h.services.dispose());

  /** The file a volume's list is kept in: its series UID and a 12-digit key of the volume and patient. */
  const listFile = new RegExp(`^${seriesUid.replaceAll('.', '\\.')}\\.[0-9a-f]{12}\\.axial-measurements\\.json$`);

  it('keeps the list under the data folder, keyed by study, series UID and volume, even where the study folder is writable', async () => {
    const { header } = await load(h, series, 'folder');
    const saved = valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [line] }));
    expect(saved).toEqual({ fileName: expect.stringMatching(listFile) as unknown, beside: false });
    const own = join(dataDir, 'measurements', studyUid, saved.fileName);
    expect(JSON.parse(readFileSync(own, 'utf8')).measurements).toEqual([line]);
    expect(readdirSync(series).some((f) => f.endsWith('.axial-measurements.json'))).toBe(false);
    expect((await load(h, series, 'folder')).header.measurements).toEqual([line]);
  });

  it("keeps apart two patients an anonymiser left with the same UIDs: neither sees, nor deletes, the other's list", async () => {
    const other = join(scratch, 'same-uids-other-patient');
    cpSync(series, other, { recursive: true });
    execFileSync('/usr/bin/python3', ['-c', renamePatient, other, 'ANON^OTHER', 'ANON-2']);
    const first = (await load(h, series, 'folder')).header;
    valueOf(await h.services.invoke('measurements:save', { volumeId: first.volumeId, measurements: [line, ellipse] }));
    const second = (await load(h, other, 'folder')).header;
    expect(second.measurements).toEqual([]);
    valueOf(await h.services.invoke('measurements:save', { volumeId: second.volumeId, measurements: [ellipse] }));
    valueOf(await h.services.invoke('measurements:save', { volumeId: second.volumeId, measurements: [] }));
    // A new session reads both from disk.
    await h.services.dispose();
    h = createHarness({ dataDir });
    expect((await load(h, series, 'folder')).header.measurements).toEqual([line, ellipse]);
    expect((await load(h, other, 'folder')).header.measurements).toEqual([]);
    rmSync(other, { recursive: true });
  });

  it('reads the list an earlier version kept for the series beside the study, saves the next in the data folder; an empty list hides it', async () => {
    const beside = join(series, `${seriesUid}.axial-measurements.json`);
    rmSync(join(dataDir, 'measurements'), { recursive: true, force: true });
    writeFileSync(beside, JSON.stringify({ format: 'axial-measurements', version: 1, series: seriesUid, measurements: [ellipse] }));
    // A new session, as after an update: this one still holds the list it saved, which a new load returns.
    await h.services.dispose();
    h = createHarness({ dataDir });
    const { header } = await load(h, series, 'folder');
    expect(header.measurements).toEqual([ellipse]);
    valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [ellipse, line] }));
    expect(JSON.parse(readFileSync(beside, 'utf8')).measurements).toEqual([ellipse]);
    expect((await load(h, series, 'folder')).header.measurements).toEqual([ellipse, line]);
    // Emptied, this volume's list is written empty over the series-wide one, which the series' other volumes may still need.
    valueOf(await h.services.invoke('measurements:save', { volumeId: header.volumeId, measurements: [] }));
    expect(JSON.parse(readFileSync(beside, 'utf8')).measurements).toEqual([ellipse]);
    await h.services.dispose();
    h = createHarness({ dataDir });
    expect((await load(h, series, 'folder')).header.measurements).toEqual([]);
  });
});

describe.skipIf(!hasSharedData)(`createAppServices: one list for every time point of a 4D series (${noSharedDataReason})`, () => {
  const folder = join(scratch, 'fmri');
  let h: Harness;

  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    const fixtures = join(repoRoot, 'tests', 'fixtures');
    execFileSync(debianPython, [join(fixtures, 'makeTimeSeries.py'), sharedData('dicom/ct-abdomen-j2k'), folder], { cwd: fixtures, encoding: 'utf8' });
    h = createHarness({ dataDir: join(scratch, 'fmriData') });
  }, 120_000);
  afterAll(() => h.services.dispose());

  it('exports from a time point loaded before the last save what was saved on another time point', async () => {
    h.answerNextOpen(folder);
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
    const at = async (timePoint: number): Promise<VolumeHeader> =>
      valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1, timePoint }));
    const t0 = await at(0);
    const t1 = await at(1); // prefetched: loaded before the line is drawn
    expect([t0.measurements, t1.measurements]).toEqual([[], []]);
    valueOf(await h.services.invoke('measurements:save', { volumeId: t0.volumeId, measurements: [line] }));

    const csvPath = join(scratch, 'fmri-t1.csv');
    h.answerNextSave(csvPath);
    expect(valueOf(await h.services.invoke('measurements:export', { volumeId: t1.volumeId, format: 'csv' }))).toEqual({ saved: true, fileName: 'fmri-t1.csv' });
    expect(readFileSync(csvPath, 'utf8').split('\r\n').slice(1)).toEqual(['1,"Aorta, ""max""",line,axial,41,,,,,,,,,,-10.5 20.25 -90;30.5 20.25 -90', '']);
    // A time point loaded again gets the saved list too.
    expect((await at(2)).measurements).toEqual([line]);
  }, 60_000);
});
