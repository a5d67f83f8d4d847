import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { scanDicom, type DicomScan } from '../../../main/dicom/scanDicom.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const pydicomData = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const dicomdirTests = join(pydicomData, 'dicomdirtests');
const hasPydicomData = existsSync(dicomdirTests);
const noPydicomDataReason = `pydicom's test files not found at ${pydicomData} (Debian's python3-pydicom)`;

/**
 * pydicom's dicomdirtests/DICOMDIR (made by DCMTK's dcmmkdir) has 31 IMAGE records, all present,
 * in 13 SERIES records; counted with pydicom and checked file by file with dcmdump:
 * - 77654033/CR1, CR2, CR3: one CR image each, with no ImagePositionPatient (read as 2D images, with a warning);
 * - 77654033/CT2: 4 axial CT slices of one series (a 202.5 mm gap after the first);
 * - 98892001/CT2N: 2 CT scouts of one series, one coronal and one sagittal, so 2 volumes;
 * - 98892001/CT5N: 5 axial CT slices 2.5 mm apart;
 * - 98892003/MR1: 3 single-image MR series;
 * - 98892003/MR2: 1 single-image series, and 2 tri-planar localiser series of 3 images (3 volumes each);
 * - 98892003/MR700: 7 MR angio projections of one series, each in its own orientation (7 volumes).
 * So 31 images in 13 series make 3 (CR) + 1 (CT2) + 2 (CT2N) + 1 (CT5N) + 3 (MR1) + 7 (MR2) + 7 (MR700) = 24 volumes.
 */
const dicomdirVolumes = 24;
const dicomdirSeriesUids = 13;
const dicomdirImages = 31;
const crImages = ['77654033/CR1/6154', '77654033/CR2/6247', '77654033/CR3/6278'];

function expectDicomdirContents(scan: DicomScan, root: string): void {
  expect(scan.series).toHaveLength(dicomdirVolumes);
  expect(new Set(scan.series.map((s) => s.seriesInstanceUid)).size).toBe(dicomdirSeriesUids);
  expect(scan.series.reduce((n, s) => n + s.slices.length, 0)).toBe(dicomdirImages);
  expect(
    scan.series
      .map((s) => s.dimensions[2])
      .sort((a, b) => b - a)
      .slice(0, 3),
  ).toEqual([5, 4, 1]);
  expect(scan.skipped).toEqual([]);
  const projections = scan.series.filter((s) => s.warnings.some((w) => /no ImagePositionPatient/.test(w)));
  expect(projections.flatMap((s) => s.slices.map((slice) => slice.instance.file)).sort()).toEqual(crImages.map((f) => join(root, ...f.split('/'))));
}

describe.skipIf(!hasPydicomData)(`DICOMDIR input (${noPydicomDataReason})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-dicomdir-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds the image files the DICOMDIR references, and only those', async () => {
    const scan = await scanDicom(join(dicomdirTests, 'DICOMDIR'));
    expectDicomdirContents(scan, dicomdirTests);

    const ct5n = scan.series.find((s) => s.slices.length === 5)!;
    expect(ct5n.slices.map((s) => basename(s.instance.file))).toEqual(['3353', '3023', '2693', '2392', '2062']);
    const volume = await loadDicomVolume(ct5n);
    expect(volume.dimensions).toEqual([16, 16, 5]);
    expect(volume.spacing[2]).toBeCloseTo(2.5, 6);
    expect(volume.metadata.modality).toBe('CT');
  });

  it.each(['DICOMDIR-implicit', 'DICOMDIR-bigEnd', 'DICOMDIR-reordered'])(
    'reads %s (another encoding or record order of the same directory) to the same series',
    async (variant) => {
      const root = join(scratch, variant);
      mkdirSync(root);
      for (const patient of ['77654033', '98892001', '98892003']) {
        cpSync(join(dicomdirTests, patient), join(root, patient), { recursive: true });
      }
      cpSync(join(dicomdirTests, variant), join(root, 'DICOMDIR'));
      expectDicomdirContents(await scanDicom(join(root, 'DICOMDIR')), root);
    },
  );

  it('reports a DICOMDIR whose images have no pixel data as DICOM_NO_IMAGES, naming it', async () => {
    // TINY_ALPHA's 50 CT records point at header-only files (no Rows, no PixelData).
    const dicomdir = join(dicomdirTests, 'TINY_ALPHA', 'DICOMDIR');
    const error = await scanDicom(dicomdir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('DICOM_NO_IMAGES');
    expect((error as AxialError).file).toBe(dicomdir);
    expect((error as AxialError).message).toContain('50 × no pixel data');
  });
});

describe.skipIf(!hasPydicomData || !hasSharedData)(`non-image DICOM objects (${hasSharedData ? noPydicomDataReason : noSharedDataReason})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-non-image-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** File name → what the skipped reason must name. */
  const nonImages: Record<string, RegExp> = {
    'rtstruct.dcm': /RT Structure Set/,
    'test-SR.dcm': /Comprehensive SR/,
    'rtplan.dcm': /RT Plan/,
    'seg_image_ct_binary.dcm': /Segmentation \(SEG\)/,
    'waveform_ecg.dcm': /Waveform/,
  };

  function copyNonImages(folder: string): void {
    mkdirSync(folder);
    for (const name of Object.keys(nonImages)) {
      const source = name.startsWith('seg_') ? sharedData(`dicom/seg/highdicom/${name}`) : join(pydicomData, name);
      cpSync(source, join(folder, name));
    }
  }

  it('lists RT Structure Set, SR, RT Plan, SEG and waveform files as skipped beside a real image', async () => {
    const folder = join(scratch, 'mixed');
    copyNonImages(folder);
    cpSync(join(pydicomData, 'CT_small.dcm'), join(folder, 'CT_small.dcm'));

    const scan = await scanDicom(folder);
    expect(scan.series).toHaveLength(1);
    expect(scan.series[0]!.slices.map((s) => basename(s.instance.file))).toEqual(['CT_small.dcm']);
    expect(scan.skipped.map((s) => basename(s.file)).sort()).toEqual(Object.keys(nonImages).sort());
    for (const skipped of scan.skipped) expect(skipped.reason).toMatch(nonImages[basename(skipped.file)]!);
  });

  it('rejects a folder of only non-image objects with DICOM_NO_IMAGES naming the folder', async () => {
    const folder = join(scratch, 'no-images');
    copyNonImages(folder);

    const error = await scanDicom(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('DICOM_NO_IMAGES');
    expect((error as AxialError).file).toBe(folder);
    expect((error as AxialError).message).toContain(folder);
    expect((error as AxialError).message).toMatch(/RT Structure Set/);
  });
});
