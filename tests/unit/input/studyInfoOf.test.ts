import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import { dicomDate, dicomTime, personName, studyInfoOf } from '../../../main/input/studyInfoOf.js';
import { createVolume, type Volume, type VolumeMetadata } from '../../../main/volume/Volume.js';
import { debianPython } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

function volumeWith(metadata: Partial<VolumeMetadata>): Volume {
  return createVolume({
    dimensions: [1, 1, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    voxels: new Int16Array(1),
    metadata: { format: 'dicom', windowPresets: [], fileCount: 1, ...metadata },
  });
}

describe('studyInfoOf', () => {
  it('formats DICOM dates as YYYY-MM-DD, times as HH:MM and person names as "FAMILY, Given Middle"', () => {
    expect(dicomDate('20230115')).toBe('2023-01-15');
    expect(dicomDate('1970.02.03')).toBe('1970-02-03');
    expect(dicomDate('20230231')).toBeUndefined(); // no 31 February
    expect(dicomDate('2023011')).toBeUndefined();
    expect(dicomDate('')).toBeUndefined();
    expect(dicomTime('101530.25')).toBe('10:15');
    expect(dicomTime('0704')).toBe('07:04');
    expect(dicomTime('10:15:30')).toBe('10:15');
    expect(dicomTime('256000')).toBeUndefined();
    expect(personName('DOE^JANE^M^DR^')).toBe('DOE, JANE M');
    expect(personName('DOE')).toBe('DOE');
    expect(personName('^JANE')).toBe('JANE');
    expect(personName('=山田^太郎')).toBe('山田, 太郎');
    expect(personName('^^^')).toBeUndefined();
  });

  it('leaves out what is missing, empty or invalid, and a patient ID that is a UID; NIfTI and NRRD have no study', () => {
    const info = studyInfoOf(
      volumeWith({
        patientName: 'ROE^RICHARD',
        patientId: '1.2.826.0.1.3680043.2.1125',
        studyDate: '2023',
        patientSex: 'X',
        seriesNumber: 7,
        sliceThickness: 0,
      }),
    );
    expect(info).toEqual({ patientName: 'ROE, RICHARD', seriesNumber: 7 });
    expect(Object.values(info)).not.toContain('');
    expect(studyInfoOf(volumeWith({ format: 'nifti', seriesDescription: 'TE=2.6', patientName: 'X' }))).toEqual({});
  });

  it('gives every field for a full header', () => {
    const info = studyInfoOf(
      volumeWith({
        patientName: 'DOE^JANE',
        patientId: ' AX-0042 ',
        patientBirthDate: '19700203',
        patientSex: 'f',
        studyDate: '20230115',
        studyTime: '101530',
        studyDescription: 'CT ABDOMEN ',
        seriesNumber: 3,
        seriesDescription: 'Abdomen 3.0',
        sliceThickness: 2.5,
      }),
    );
    expect(info).toEqual({
      patientName: 'DOE, JANE',
      patientId: 'AX-0042',
      patientBirthDate: '1970-02-03',
      patientSex: 'F',
      studyDate: '2023-01-15',
      studyTime: '10:15',
      studyDescription: 'CT ABDOMEN',
      seriesNumber: 3,
      seriesDescription: 'Abdomen 3.0',
      sliceThickness: 2.5,
    });
  });
});

describe.skipIf(!hasSharedData)(`a real series written with a known patient and study (${noSharedDataReason})`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-study-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function make(name: string, mprage: boolean): { slices: number; windows: [number, number][] } {
    const args = [join(repoRoot, 'tests/fixtures/makeStudySeries.py'), sharedData('dicom/ct-abdomen-j2k'), join(folder, name)];
    const out = execFileSync(debianPython, mprage ? [...args, '--mprage'] : args, { encoding: 'utf8' });
    return JSON.parse(out) as { slices: number; windows: [number, number][] };
  }

  async function load(name: string): Promise<Volume> {
    const scan = await scanInput(join(folder, name));
    expect(scan.series).toHaveLength(1);
    return (await scan.series[0]!.load()).volume;
  }

  it('reads the patient, study and series from the files, as pydicom wrote them', async () => {
    make('ct', false);
    const info = studyInfoOf(await load('ct'));
    expect(info).toEqual({
      patientName: 'DOE, JANE M',
      patientId: 'AX-0042',
      patientBirthDate: '1970-02-03',
      patientSex: 'F',
      studyDate: '2023-01-15',
      studyTime: '10:15',
      studyDescription: 'CT ABDOMEN',
      seriesNumber: 3,
      seriesDescription: 'Abdomen 3.0',
      sliceThickness: 3,
    });
    // The accession number and StudyID (15+ digits) are not among the fields.
    expect(JSON.stringify(info)).not.toMatch(/\d{15}/);
  }, 60_000);

  it("an MPRAGE-like series opens with its middle slice's window (W1168/L606), not its first slice's (W502/L210)", async () => {
    const written = make('mprage', true);
    expect(written.windows[0]).toEqual([210, 502]);
    expect(written.windows[Math.floor(written.slices / 2)]).toEqual([606, 1168]);
    const volume = await load('mprage');
    expect(volume.metadata.modality).toBe('MR');
    expect(volume.metadata.windowPresets).toEqual([{ center: 606, width: 1168 }]);
  }, 60_000);

  it("each volume of a multi-volume series opens with its own middle slice's window", async () => {
    make('mprage-2', true);
    // A second acquisition at the same positions, with its own windows (edges W600/L300, middle W1600/L800).
    const second = `
import glob, os, sys
import pydicom
from pydicom.uid import generate_uid
files = sorted(glob.glob(os.path.join(sys.argv[1], 'IM_*.dcm')))
n = len(files)
for k, f in enumerate(files):
    ds = pydicom.dcmread(f)
    ds.AcquisitionNumber = 1
    ds.save_as(f)
    ds.AcquisitionNumber = 2
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=['axial-second-volume', str(k)])
    ds.WindowCenter, ds.WindowWidth = (300, 600) if k < n // 4 or k >= n - n // 4 else (800, 1600)
    ds.save_as(f.replace('IM_', 'IM2_'))
`;
    execFileSync(debianPython, ['-c', second, join(folder, 'mprage-2')]);
    const scan = await scanInput(join(folder, 'mprage-2'));
    // Two acquisitions on one grid are one 4D series; each time point takes its own middle slice's window.
    expect(scan.series).toHaveLength(1);
    expect(scan.series[0]!.timePoints).toBe(2);
    const presets = await Promise.all([0, 1].map(async (t) => (await scan.series[0]!.load(t)).volume.metadata.windowPresets));
    expect(presets).toEqual([[{ center: 606, width: 1168 }], [{ center: 800, width: 1600 }]]);
  }, 60_000);
});
