import { describe, expect, it } from 'vitest';
import { describeVolume, formatValueRange, looksLikeHounsfield, presetName, realUnit } from '../../../main/input/describeVolume.js';
import type { ScannedSeries } from '../../../main/input/scanInput.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';
import { createVolume, type Volume, type VolumeMetadata } from '../../../main/volume/Volume.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

function seriesOf(volume: Volume, format: ScannedSeries['format'], uid = ''): ScannedSeries {
  return { index: 1, uid, description: '', modality: '', format, files: ['a'], warnings: [], load: async () => ({ volume, warnings: [] }) };
}

function describe3(volume: Volume, series = seriesOf(volume, volume.metadata.format)) {
  return describeVolume({ volumeId: 'v', volume, series, warnings: [], dataUrl: 'x' });
}

function smallVolume(voxels: Int16Array, metadata: Partial<VolumeMetadata>): Volume {
  return createVolume({
    dimensions: [voxels.length, 1, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    voxels,
    metadata: { format: 'dicom', windowPresets: [], fileCount: 1, ...metadata },
  });
}

describe('describeVolume', () => {
  it('names the file windows as users know them: the explanation when it means something, else File n', () => {
    expect(['WINDOW1', 'Algo1', 'From file 1', '', undefined, 'User 2', 'W/L', 'default'].map((n, i) => presetName(n, i))).toEqual([
      'File 1',
      'File 2',
      'File 3',
      'File 4',
      'File 5',
      'File 6',
      'File 7',
      'File 8',
    ]);
    expect(presetName('BRAIN', 0)).toBe('Brain');
    expect(presetName('SOFT TISSUE', 1)).toBe('Soft tissue');
    expect(presetName('Lung HR', 2)).toBe('Lung HR');
  });

  it('keeps only real units', () => {
    expect(['normalized', 'US', ' ', undefined, 'HU', 'mm2/s'].map(realUnit)).toEqual([null, null, null, null, 'HU', 'mm2/s']);
  });

  it('rounds the value range to what a reader needs', () => {
    expect(formatValueRange([0, 2803.291015625], null)).toBe('0 … 2803');
    expect(formatValueRange([0, 92.6321], null)).toBe('0 … 92.6');
    expect(formatValueRange([-0.0004, 0.75321], 'mm2/s')).toBe('0 … 0.753 mm2/s');
    expect(formatValueRange([-1024, 3071], 'HU')).toBe('-1024 … 3071 HU');
    expect(formatValueRange([0, 2.999999894026671e30], null)).toBe('0 … 3.000e+30');
    expect(formatValueRange([0, 614454277], null)).toBe('0 … 614454277');
    // A few ±Infinity voxels leave the range of the rest (it was [0, 0] for the whole volume, a blank grey display).
    expect(valueRange({ voxels: Float32Array.from([Infinity, -5, Number.NaN, 2000, -Infinity]) })).toEqual([-5, 2000]);
    expect(valueRange({ voxels: Float32Array.from([Number.NaN, Infinity]) })).toEqual([Infinity, -Infinity]);
  });

  it('judges Hounsfield units by the lowest value, the highest and the share of air', () => {
    const ct = Int16Array.from({ length: 1000 }, (_, n) => (n < 50 ? -1000 : n < 999 ? 40 : 1200));
    expect(looksLikeHounsfield(ct, [-1000, 1200])).toBe(true);
    // 0.5 % air: a cropped volume, or noise in an MR, is not enough.
    const few = Int16Array.from({ length: 1000 }, (_, n) => (n < 5 ? -1000 : n < 999 ? 40 : 1200));
    expect(looksLikeHounsfield(few, [-1000, 1200])).toBe(false);
    // A Siemens phase map spans −4096…4094: below anything a CT pads with.
    expect(looksLikeHounsfield(Int16Array.from([-4096, -1000, 0, 4094]), [-4096, 4094])).toBe(false);
    expect(looksLikeHounsfield(Int16Array.from([-1000, -1000, 0, 200]), [-1000, 200])).toBe(false);
  });

  it('gives a DICOM series its number and description, rounded range, file windows only and UIDs last', () => {
    const volume = smallVolume(Int16Array.from([0, 10, 2803]), {
      modality: 'MR',
      units: 'normalized',
      seriesNumber: 7,
      seriesDescription: 't1_mprage',
      studyDescription: 'Head',
      studyInstanceUid: '1.2.840.113619.2.55.3.604688119.969.1268071029.320',
      seriesInstanceUid: '1.2.840.113619.2.55.3.604688119.969.1268071029.321',
      windowPresets: [
        { center: 210, width: 502, name: 'WINDOW1' },
        { center: 600, width: 1200, name: 'BRAIN' },
        { center: 1, width: 0, name: 'bad' },
      ],
    });
    const header = describe3(volume, { ...seriesOf(volume, 'dicom', '1.2.3'), modality: 'MR', description: 't1_mprage' });
    expect(header.units).toBeNull();
    expect(header.windowPresets).toEqual([
      { center: 210, width: 502, name: 'File 1' },
      { center: 600, width: 1200, name: 'Brain' },
    ]);
    const rows = Object.fromEntries(header.details);
    expect(rows).toMatchObject({ Series: '7 · t1_mprage', Study: 'Head', Modality: 'MR', 'Value range': '0 … 2803' });
    expect(header.details.slice(-2).map(([k]) => k)).toEqual(['Study UID', 'Series UID']);
    // No UID outside the UID rows.
    for (const [key, value] of header.details) if (!key.endsWith('UID')) expect(value).not.toMatch(/\d{15,}|\d+\.\d+\.\d+\.\d+/);
  });

  it('writes the patient as the views’ corners do: "DOE, JANE · ID AX-0042", no caret, no ID that is a UID', () => {
    const patient = (patientName: string, patientId: string): string | undefined => {
      const volume = smallVolume(Int16Array.from([0, 1]), { patientName, patientId });
      return Object.fromEntries(describe3(volume).details).Patient;
    };
    expect(patient('DOE^JANE^M', 'AX-0042')).toBe('DOE, JANE M · ID AX-0042');
    expect(patient('DOE^JANE', '1.2.840.113619.2.55.3.2831164355')).toBe('DOE, JANE');
    expect(patient('', '')).toBe('—');
  });

  it.skipIf(!hasSharedData)(`gives TotalSegmentator's NIfTI CT HU units and nothing to its MR (${noSharedDataReason})`, async () => {
    const ct = (await readNifti(sharedData('nifti/totalseg/example_ct_sm.nii.gz'))).volume;
    const ctHeader = describe3(ct);
    expect(ctHeader.range).toEqual([-1100, 1207]);
    expect(ctHeader.units).toBe('HU');
    expect(ctHeader.modality).toBe('');
    expect(ctHeader.windowPresets).toEqual([]);
    expect(Object.fromEntries(ctHeader.details)).toMatchObject({ Modality: 'CT (judged from its values in HU)', 'Value range': '-1100 … 1207 HU' });
    const mr = (await readNifti(sharedData('nifti/totalseg/example_mr_sm.nii.gz'))).volume;
    const mrHeader = describe3(mr);
    expect(mrHeader.units).toBeNull();
    expect(Object.fromEntries(mrHeader.details)).toMatchObject({ Modality: '—', 'Value range': '-47 … 833' });
  });

  it.skipIf(!hasSharedData)(`judges niivue's and nibabel's files: shear is a CT, FLAIR and anatomical are not (${noSharedDataReason})`, async () => {
    const judged = async (path: string): Promise<boolean> => {
      const { volume } = path.endsWith('.nrrd') ? await readNrrd(sharedData(path)) : await readNifti(sharedData(path));
      return looksLikeHounsfield(volume.voxels, valueRange(volume));
    };
    expect(await judged('nifti/niivue/shear.nii.gz')).toBe(true);
    expect(await judged('nifti/niivue/FLAIR.nii.gz')).toBe(false);
    expect(await judged('nifti/niivue/FLAIR.nrrd')).toBe(false);
    expect(await judged('nifti/nibabel/anatomical.nii')).toBe(false);
    expect(await judged('nifti/totalseg/example_mr_sm.nii.gz')).toBe(false);
    // FLAIR's cal_min/cal_max window comes through, named File 1.
    const flair = (await readNifti(sharedData('nifti/niivue/FLAIR.nii.gz'))).volume;
    expect(describe3(flair).windowPresets).toEqual([{ center: 100, width: 200, name: 'File 1' }]);
  });
});
