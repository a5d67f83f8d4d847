import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../core/contract.js';
import { debianPython, runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-services-patients-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Gives every file of a folder another patient: ROE^RICHARD, born 1955, whose ID an anonymiser made a UID, scanned 2022-03-01. */
const renamePatient = `
import sys, os, json, pydicom
folder = sys.argv[1]
for name in os.listdir(folder):
    ds = pydicom.dcmread(os.path.join(folder, name))
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.StudyDate = 'ROE^RICHARD', '1.2.840.113619.2.55.3.2831164355', '19550607', '20220301'
    ds.save_as(os.path.join(folder, name))
print(json.dumps(len(os.listdir(folder))))
`;

/**
 * One folder holding two patients' studies, as a DICOMDIR of several patients does: the real ct-abdomen-j2k
 * written again as DOE^JANE^M (ID AX-0042, CT ABDOMEN, 2023-01-15) and as an MR given to ROE^RICHARD;
 * and the same CT as one Enhanced CT multi-frame file.
 */
describe.skipIf(!hasSharedData)(`a scan of several patients, and a multi-frame file, through the services (${noSharedDataReason})`, () => {
  const both = join(scratch, 'both');
  const enhanced = join(scratch, 'enhanced-ct.dcm');
  let h: Harness;

  beforeAll(() => {
    const make = (name: string, ...more: string[]): void =>
      void execFileSync(debianPython, [join(repoRoot, 'tests/fixtures/makeStudySeries.py'), sharedData('dicom/ct-abdomen-j2k'), join(both, name), ...more]);
    make('ct');
    make('mr', '--mprage');
    expect(runPythonJson<number>(renamePatient, [join(both, 'mr')])).toBe(20);
    execFileSync(debianPython, [join(repoRoot, 'tests/fixtures/makeEnhancedCt.py'), sharedData('dicom/ct-abdomen-j2k'), enhanced]);
    h = createHarness({ dataDir: join(scratch, 'data') });
  }, 180_000);
  afterAll(() => h.services.dispose());

  const open = async (path: string): Promise<ScanResult> => {
    h.answerNextOpen(path);
    return valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
  };

  it('names each series’ patient and study for the picker, formatted and with no UID, only when the scan holds several', async () => {
    const scan = await open(both);
    const studies = scan.series.map((s) => [s.modality, s.study]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(studies).toEqual([
      ['CT', { index: expect.any(Number), patientName: 'DOE, JANE M', patientId: 'AX-0042', studyDate: '2023-01-15', studyDescription: 'CT ABDOMEN' }],
      ['MR', { index: expect.any(Number), patientName: 'ROE, RICHARD', studyDate: '2022-03-01', studyDescription: 'CT ABDOMEN' }],
    ]);
    expect(new Set(scan.series.map((s) => s.study?.index))).toEqual(new Set([1, 2]));
    expect((await open(join(both, 'ct'))).series.map((s) => s.study)).toEqual([undefined]);
  });

  it('writes the Study tab’s patient and the recent list’s as the views’ corners do: no caret, no UID for an ID', async () => {
    const scan = await open(both);
    for (const s of scan.series) {
      const header = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: s.index }));
      const patient = Object.fromEntries(header.details).Patient;
      expect(patient).toBe(s.modality === 'CT' ? 'DOE, JANE M · ID AX-0042' : 'ROE, RICHARD');
    }
    const listed = valueOf(await h.services.invoke('studies:list', {})).studies;
    expect(listed.map((s) => [s.patientName, s.patientId, s.birthDate]).sort()).toEqual([
      ['DOE, JANE M', 'AX-0042', '1970-02-03'],
      ['ROE, RICHARD', '', '1955-06-07'],
    ]);
  }, 60_000);

  it('counts a multi-frame file’s images on the recent list, not its one file', async () => {
    const alone = createHarness({ dataDir: join(scratch, 'data-enhanced') });
    try {
      alone.answerNextOpen(enhanced);
      const scan = valueOf(await alone.services.invoke('volume:open', { source: 'file' }))!;
      expect(scan.series.map((s) => [s.files, s.images])).toEqual([[1, 20]]);
      valueOf(await alone.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
      const listed = valueOf(await alone.services.invoke('studies:list', {})).studies;
      expect(listed.flatMap((s) => s.series).map((s) => [s.images, s.dimensions])).toEqual([[20, [512, 512, 20]]]);
    } finally {
      await alone.services.dispose();
    }
  }, 60_000);
});
