import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudyList, studyListFileName, type OpenedStudy } from '../../../main/studies/createStudyList.js';
import { maxDatabaseBytes } from '../../../main/studies/openStudyDatabase.js';
import { studyKeyOf } from '../../../main/studies/studyKeyOf.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-study-list-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const freshDir = (): string => mkdtempSync(join(scratch, `d${folders++}-`));

/** A study with one series; the thumbnail a 3×2 ramp. */
function study(overrides: Partial<OpenedStudy> & { seriesKey?: string; seriesDescription?: string; modality?: string } = {}): OpenedStudy {
  const { seriesKey = '1.2.3.1', seriesDescription = 'Axial 3 mm', modality = 'CT', ...rest } = overrides;
  return {
    path: '/studies/doe',
    studyUid: '1.2.3',
    patientName: 'DOE^JANE',
    patientId: 'P-001',
    birthDate: '19700101',
    studyDate: '20240315',
    description: 'CT abdomen',
    series: {
      key: seriesKey,
      description: seriesDescription,
      number: 3,
      modality,
      images: 120,
      dimensions: [512, 512, 120],
      thumbnail: { width: 3, height: 2, pixels: Uint8Array.of(0, 50, 100, 150, 200, 250) },
    },
    ...rest,
  };
}

/** The grayscale pixels of a PNG data URL made by encodeGrayPng (one IDAT, filter 0 rows). */
function pngPixels(dataUrl: string): { width: number; height: number; pixels: number[] } {
  const bytes = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const idat = bytes.indexOf('IDAT', 0, 'latin1');
  const rows = inflateSync(bytes.subarray(idat + 4, idat + 4 + bytes.readUInt32BE(idat - 4)));
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) pixels.push(...rows.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)));
  return { width, height, pixels };
}

describe('createStudyList', () => {
  it('records a study with its series and lists it, the thumbnail as a PNG of the same pixels', async () => {
    const list = createStudyList(freshDir(), { now: () => new Date('2026-01-02T03:04:05Z') });
    const key = await list.record(study());
    expect(key).toBe(await studyKeyOf({ ...study(), path: '/elsewhere' }));
    const [listed, ...others] = await list.list();
    expect(others).toEqual([]);
    expect(listed).toMatchObject({
      key,
      patientName: 'DOE, JANE',
      patientId: 'P-001',
      birthDate: '1970-01-01',
      studyDate: '2024-03-15',
      description: 'CT abdomen',
      modalities: ['CT'],
      openedAt: '2026-01-02T03:04:05.000Z',
      sourceName: 'doe',
    });
    expect(listed!.series).toHaveLength(1);
    expect(listed!.series[0]).toMatchObject({ description: 'Axial 3 mm', number: 3, modality: 'CT', images: 120, dimensions: [512, 512, 120] });
    expect(pngPixels(listed!.series[0]!.thumbnail!)).toEqual({ width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 250] });
    await list.close();
  });

  it('keeps one row per study: a second series joins it, the same series replaces itself; newest study first', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const list = createStudyList(freshDir(), { now: () => new Date((clock += 1000)) });
    await list.record(study());
    await list.record(study({ seriesKey: '1.2.3.2', seriesDescription: 'Coronal', modality: 'CT' }));
    await list.record(study());
    await list.record(study({ studyUid: '', path: '/studies/brain.nii.gz', patientName: '', description: '', modality: 'MR', seriesKey: 'brain' }));
    const studies = await list.list();
    expect(studies.map((s) => s.sourceName)).toEqual(['brain.nii.gz', 'doe']);
    expect(studies[1]!.series.map((s) => s.description)).toEqual(['Axial 3 mm', 'Coronal']);
    expect(studies[0]!.key).toBe(await studyKeyOf({ studyUid: '', patientId: 'P-001', patientName: '', path: '/studies/brain.nii.gz' }));
    await list.close();
  });

  it('searches patient name and ID, study and series descriptions and modality, case-insensitively, % and _ literally', async () => {
    const list = createStudyList(undefined);
    await list.record(study());
    await list.record(
      study({
        studyUid: '9.9',
        path: '/studies/roe',
        patientName: 'ROE^RICHARD',
        patientId: 'X_7',
        description: 'MR brain',
        modality: 'MR',
        seriesKey: 's',
        seriesDescription: 'T1 MPRAGE',
      }),
    );
    const names = async (search: string): Promise<string[]> => (await list.list(search)).map((s) => s.patientName).sort();
    expect(await names('doe')).toEqual(['DOE, JANE']);
    expect(await names('doe^j')).toEqual(['DOE, JANE']);
    expect(await names('p-00')).toEqual(['DOE, JANE']);
    expect(await names('ABDOMEN')).toEqual(['DOE, JANE']);
    expect(await names('mprage')).toEqual(['ROE, RICHARD']);
    expect(await names('mr')).toEqual(['ROE, RICHARD']);
    expect(await names('X_7')).toEqual(['ROE, RICHARD']);
    expect(await names('X%7')).toEqual([]);
    expect(await names('_')).toEqual(['ROE, RICHARD']);
    expect(await names('  ')).toEqual(['DOE, JANE', 'ROE, RICHARD']);
    await list.close();
  });

  it('removes a study and its series; an unknown key removes nothing', async () => {
    const list = createStudyList(undefined);
    const key = await list.record(study());
    expect(await list.remove('not-a-key')).toBe(false);
    expect(await list.remove(key)).toBe(true);
    expect(await list.list()).toEqual([]);
    expect(await list.pathOf(key)).toBeUndefined();
    await list.close();
  });

  it('keeps the list across a restart, in a file SQLite reads (python3 sqlite3)', async () => {
    const dir = freshDir();
    const first = createStudyList(dir);
    const key = await first.record(study());
    await first.record(study({ studyUid: '4.5', path: '/studies/other' }));
    await first.remove(await studyKeyOf({ ...study(), studyUid: '4.5' }));
    await first.close();
    const file = join(dir, studyListFileName);
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const second = createStudyList(dir);
    const studies = await second.list();
    expect(studies.map((s) => s.key)).toEqual([key]);
    expect(await second.pathOf(key)).toBe('/studies/doe');
    await second.close();
    const { execFileSync } = await import('node:child_process');
    const rows = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        [
          'import sqlite3, sys',
          'query = "select patient_name, count(*) from studies join series on study_key = key"',
          'print(sqlite3.connect(sys.argv[1]).execute(query).fetchall())',
        ].join('\n'),
        file,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(rows.trim()).toBe("[('DOE^JANE', 1)]");
  });

  it('moves a damaged list aside as .damaged, says so, and starts a new one', async () => {
    const dir = freshDir();
    const file = join(dir, studyListFileName);
    const damaged = Buffer.alloc(8192, 0x5a);
    Buffer.from('SQLite format 3\0').copy(damaged);
    writeFileSync(file, damaged);
    const logged: unknown[] = [];
    const list = createStudyList(dir, { logError: (error) => logged.push(error) });
    expect(await list.list()).toEqual([]);
    expect(readFileSync(`${file}.damaged`)).toEqual(damaged);
    expect(String(logged[0])).toMatch(/could not be used .*moved to .*recent-studies\.sqlite\.damaged/);
    await list.record(study());
    await list.close();
    const again = createStudyList(dir);
    expect(await again.list()).toHaveLength(1);
    await again.close();
  });

  /** A list a newer Axial wrote (layout 2): this version must neither move it aside nor write over it. */
  const newerList = (dir: string, extraColumn: string): Buffer => {
    const file = join(dir, studyListFileName);
    const studies = [
      'key TEXT PRIMARY KEY, study_uid TEXT NOT NULL, path TEXT NOT NULL, source_name TEXT NOT NULL, patient_name TEXT NOT NULL',
      `patient_id TEXT NOT NULL, birth_date TEXT NOT NULL, study_date TEXT NOT NULL, description TEXT NOT NULL, ${extraColumn}`,
    ].join(', ');
    const series = [
      'study_key TEXT NOT NULL, series_key TEXT NOT NULL, description TEXT NOT NULL, number INTEGER, modality TEXT NOT NULL',
      'images INTEGER NOT NULL, dimensions TEXT NOT NULL, thumbnail BLOB, opened_at TEXT NOT NULL, PRIMARY KEY (study_key, series_key)',
    ].join(', ');
    const script = [
      'import sqlite3, sys',
      'c = sqlite3.connect(sys.argv[1])',
      'c.executescript("""',
      `CREATE TABLE studies (${studies});`,
      `CREATE TABLE series (${series});`,
      'INSERT INTO studies (key, study_uid, path, source_name, patient_name, patient_id, birth_date, study_date, description)',
      "  VALUES ('k1', '1.2.3', '/x', 'x', 'DOE^JANE', '42', '', '20240101', 'Head');",
      "INSERT INTO series VALUES ('k1', 's', 'T1', 1, 'MR', 10, '64x64x10', NULL, '2024-01-01T00:00:00.000Z');",
      'PRAGMA user_version = 2;',
      '""")',
      'c.commit()',
    ].join('\n');
    execFileSync('/usr/bin/python3', ['-c', script, file]);
    return readFileSync(file);
  };

  it("shows a newer version's list it can read, and neither moves it aside nor writes to it", async () => {
    const dir = freshDir();
    const file = join(dir, studyListFileName);
    const bytes = newerList(dir, "opened_at TEXT NOT NULL DEFAULT '2024-01-01T00:00:00.000Z', extra TEXT");
    const logged: unknown[] = [];
    const list = createStudyList(dir, { logError: (error) => logged.push(error) });
    expect((await list.list()).map((s) => [s.patientName, s.series.length])).toEqual([['DOE, JANE', 1]]);
    expect(logged.map(String)).toEqual([expect.stringMatching(/newer version of Axial.*shown but left unchanged/)]);
    await list.record(study());
    // Taken off only in memory, the study would come back at the next start: say it cannot be removed instead.
    await expect(list.remove('k1')).rejects.toMatchObject({ code: 'OUTPUT_WRITE_FAILED', message: expect.stringMatching(/newer version of Axial/) });
    await expect(list.clear()).rejects.toMatchObject({ code: 'OUTPUT_WRITE_FAILED' });
    expect((await list.list()).map((s) => s.patientName)).toContain('DOE, JANE');
    await list.close();
    expect(readFileSync(file)).toEqual(bytes);
    expect(existsSync(`${file}.damaged`)).toBe(false);
  });

  it("keeps a newer version's list it cannot read untouched, and lists in memory meanwhile", async () => {
    const dir = freshDir();
    const file = join(dir, studyListFileName);
    const bytes = newerList(dir, 'visited TEXT');
    const logged: unknown[] = [];
    const list = createStudyList(dir, { logError: (error) => logged.push(error) });
    expect(await list.list()).toEqual([]);
    expect(logged.map(String)).toEqual([expect.stringMatching(/newer version of Axial.*cannot read it, so it is left unchanged/)]);
    await list.record(study());
    expect(await list.list()).toHaveLength(1);
    await list.close();
    expect(readFileSync(file)).toEqual(bytes);
    expect(existsSync(`${file}.damaged`)).toBe(false);
  });

  it('keeps one row for a file without UIDs opened through a symlinked folder and through its real folder', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'brain.nii.gz'), 'not read');
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const list = createStudyList(dir);
    const nifti = { studyUid: '', patientId: '', patientName: '' };
    const first = await list.record(study({ ...nifti, path: join(dir, 'real', 'brain.nii.gz') }));
    const second = await list.record(study({ ...nifti, path: join(dir, 'link', 'brain.nii.gz') }));
    expect(second).toBe(first);
    expect(await list.list()).toHaveLength(1);
    await list.close();
  });

  it(`refuses a list file larger than ${maxDatabaseBytes} bytes without reading it`, async () => {
    const dir = freshDir();
    const file = join(dir, studyListFileName);
    writeFileSync(file, 'SQLite format 3\0');
    truncateSync(file, maxDatabaseBytes + 1);
    const logged: unknown[] = [];
    const list = createStudyList(dir, { logError: (error) => logged.push(error) });
    expect(await list.list()).toEqual([]);
    expect(String(logged[0])).toContain(`it is ${maxDatabaseBytes + 1} bytes`);
    expect(existsSync(`${file}.damaged`)).toBe(true);
    expect(existsSync(file)).toBe(false);
    await list.close();
  });

  it('lists studies recorded within one millisecond newest first all the same', async () => {
    const list = createStudyList(undefined, { now: () => new Date('2026-01-02T03:04:05Z') });
    for (const name of ['A', 'B', 'C'])
      await list.record(study({ path: `/studies/${name}`, patientName: name, patientId: name, seriesKey: `1.2.${name.charCodeAt(0)}` }));
    expect((await list.list()).map((r) => r.patientName)).toEqual(['C', 'B', 'A']);
    await list.close();
  });

  it('keeps two patients given one StudyInstanceUID (an anonymiser) as two rows, each with its own series', async () => {
    const list = createStudyList(undefined);
    const jane = await list.record(study({ path: '/studies/jane' }));
    const roe = await list.record(
      study({ path: '/studies/roe', patientName: 'ROE^RICHARD', patientId: 'P-002', studyDate: '20231399', seriesKey: '1.2.3.9', seriesDescription: 'Brain' }),
    );
    expect(roe).not.toBe(jane);
    const rows = await list.list();
    // Roe's study date is no calendar date: listed as none ('') rather than as "2023-13-99".
    expect(rows.map((r) => [r.patientName, r.patientId, r.studyDate, r.series.map((s) => s.description)])).toEqual([
      ['ROE, RICHARD', 'P-002', '', ['Brain']],
      ['DOE, JANE', 'P-001', '2024-03-15', ['Axial 3 mm']],
    ]);
    expect(await list.pathOf(jane)).toBe('/studies/jane');
    expect(await list.pathOf(roe)).toBe('/studies/roe');
    await list.close();
  });

  it("moves a study's Open to a folder above its input, never to one file of it or a sibling folder", async () => {
    const list = createStudyList(undefined);
    const key = await list.record(study({ path: '/studies/doe/ct' }));
    await list.record(study({ path: '/studies/doe/ct/IM0001.dcm' }));
    expect(await list.pathOf(key)).toBe('/studies/doe/ct');
    await list.record(study({ path: '/studies/doe-copy/ct' }));
    expect(await list.pathOf(key)).toBe('/studies/doe/ct');
    await list.record(study({ path: '/studies/doe/ct/' }));
    expect(await list.pathOf(key)).toBe('/studies/doe/ct');
    await list.record(study({ path: '/studies' }));
    expect(await list.pathOf(key)).toBe('/studies');
    expect((await list.list())[0]!.sourceName).toBe('studies');
    await list.close();
  });

  it('rolls a failed remove back: the study keeps its series, and the list goes on recording', async () => {
    const dir = freshDir();
    const first = createStudyList(dir);
    const key = await first.record(study());
    await first.close();
    // A trigger (in a file SQLite reads as a valid list) makes the second DELETE of remove fail.
    const { execFileSync } = await import('node:child_process');
    const trigger = "create trigger keep before delete on studies begin select raise(abort, 'kept by the test'); end";
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()',
      join(dir, studyListFileName),
      trigger,
    ]);
    const list = createStudyList(dir);
    await expect(list.remove(key)).rejects.toThrow(/kept by the test/);
    expect((await list.list())[0]!.series).toHaveLength(1);
    await list.record(study({ studyUid: '7.7', path: '/studies/other' }));
    expect(await list.list()).toHaveLength(2);
    await list.close();
  });

  it('keeps the most recent studies only', async () => {
    let clock = 0;
    const list = createStudyList(undefined, { maxStudies: 3, now: () => new Date((clock += 1000)) });
    for (let n = 0; n < 5; n++) await list.record(study({ studyUid: `1.${n}`, patientName: `P${n}` }));
    expect((await list.list()).map((s) => s.patientName)).toEqual(['P4', 'P3', 'P2']);
    await list.close();
  });
});
