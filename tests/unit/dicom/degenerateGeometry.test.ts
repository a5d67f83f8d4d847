import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

/**
 * The real CT slice rewritten by pydicom, one header edit each. In one series, 5 mm apart:
 * `good-*` as they are, `zero-iop` with a zero-length row direction, `parallel-iop` with its
 * column direction equal to its row direction. In series of their own: `unfilled-iop` with an
 * all-zero ImageOrientationPatient, `skewed-iop` with directions 60° apart, `imager-spacing`
 * with ImagerPixelSpacing 0.5\\0 instead of PixelSpacing, and two `unspaced` slices with
 * PixelSpacing removed (or, with `spacing`, set to that value).
 */
function writeSlices(folder: string, spacing: string | null): void {
  runPythonJson(
    `
import copy, json, sys, pydicom
from pydicom.uid import generate_uid
source, folder, spacing = sys.argv[1], sys.argv[2], sys.argv[3]
base = pydicom.dcmread(source)
def write(name, k, series, edit):
    ds = copy.deepcopy(base)
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.ImagePositionPatient = [ds.ImagePositionPatient[0], ds.ImagePositionPatient[1], 5.0 * k]
    ds.InstanceNumber = k + 1
    edit(ds)
    ds.save_as(f'{folder}/{name}.dcm')
good, other = generate_uid(), generate_uid()
for k in range(3):
    write(f'good-{k}', k, good, lambda ds: None)
write('zero-iop', 3, good, lambda ds: setattr(ds, 'ImageOrientationPatient', [0, 0, 0, 0, 1, 0]))
write('parallel-iop', 4, good, lambda ds: setattr(ds, 'ImageOrientationPatient', [1, 0, 0, 1, 0, 0]))
write('unfilled-iop', 5, generate_uid(), lambda ds: setattr(ds, 'ImageOrientationPatient', [0, 0, 0, 0, 0, 0]))
write('skewed-iop', 6, generate_uid(), lambda ds: setattr(ds, 'ImageOrientationPatient', [1, 0, 0, 0.5, 0.8660254, 0]))
def imager(ds):
    del ds.PixelSpacing
    ds.ImagerPixelSpacing = [0.5, 0]
write('imager-spacing', 0, generate_uid(), imager)
def unspaced(ds):
    if spacing == '-':
        del ds.PixelSpacing
    else:
        ds.PixelSpacing = spacing.split('\\\\')
for k in range(2):
    write(f'unspaced-{k}', k, other, unspaced)
print(json.dumps(True))
`,
    [sharedData('dicom/ct-transfer-syntaxes/CTImage.dcm'), folder, spacing ?? '-'],
  );
}

describe.skipIf(!hasSharedData)(`DICOM geometry that cannot place an image (${noSharedDataReason})`, () => {
  it('skips a slice whose ImageOrientationPatient spans no plane, naming the file and why, and keeps the good slices', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-iop-'));
    writeSlices(folder, null);
    const scan = await scanDicom(folder);
    const good = scan.series.find((s) => s.slices.some((slice) => slice.instance.file.endsWith('good-0.dcm')))!;
    expect(good.dimensions).toEqual([512, 512, 3]);
    expect(good.spacing[2]).toBeCloseTo(5, 6);
    expect(scan.skipped.map((s) => [s.file, s.reason]).sort()).toEqual([
      [
        join(folder, 'parallel-iop.dcm'),
        expect.stringMatching(/DICOM_MALFORMED.*ImageOrientationPatient \(1, 0, 0, 1, 0, 0\) has parallel row and column directions/),
      ],
      [join(folder, 'zero-iop.dcm'), expect.stringMatching(/DICOM_MALFORMED.*ImageOrientationPatient \(0, 0, 0, 0, 1, 0\) has a zero-length direction/)],
    ]);
    // All zeros is unfilled, not damaged: the image is shown as a 2D one at the origin, as one with no orientation is.
    const unfilled = scan.series.find((s) => s.slices[0]!.instance.file.endsWith('unfilled-iop.dcm'))!;
    expect(unfilled.origin).toEqual([0, 0, 0]);
    expect(unfilled.warnings).toContain('no ImagePositionPatient/ImageOrientationPatient: a 2D image placed at the origin, not in patient space');
    // Directions 60° apart span a plane: the image loads, sheared, and says so; the good series says nothing of it.
    const skewed = scan.series.find((s) => s.slices[0]!.instance.file.endsWith('skewed-iop.dcm'))!;
    expect(skewed.warnings).toContain("ImageOrientationPatient's row and column directions are 60.0° apart, not 90°: the image is placed sheared");
    expect(good.warnings.filter((w) => w.includes('sheared'))).toEqual([]);
    await expect(scanDicom(join(folder, 'zero-iop.dcm'))).rejects.toMatchObject({
      code: 'DICOM_MALFORMED',
      message: expect.stringContaining(join(folder, 'zero-iop.dcm')),
    });
  });

  it('says when PixelSpacing is missing or not positive, and which spacing was assumed', async () => {
    const missing = mkdtempSync(join(tmpdir(), 'axial-spacing-'));
    writeSlices(missing, null);
    const unspaced = (await scanDicom(missing)).series.find((s) => s.slices[0]!.instance.file.includes('unspaced'))!;
    expect(unspaced.spacing.slice(0, 2)).toEqual([1, 1]);
    expect(unspaced.warnings).toContain('no PixelSpacing: 1 mm assumed between rows and columns; measured distances and volumes may be wrong');
    const imager = (await scanDicom(join(missing, 'imager-spacing.dcm'))).series[0]!;
    expect(imager.spacing.slice(0, 2)).toEqual([1, 0.5]);
    expect(imager.warnings).toContain('ImagerPixelSpacing 0.5\\0: 1 mm assumed between columns; measured distances and volumes may be wrong');

    const zeroRows = mkdtempSync(join(tmpdir(), 'axial-spacing-'));
    writeSlices(zeroRows, '0\\0.7');
    const half = (await scanDicom(zeroRows)).series.find((s) => s.slices[0]!.instance.file.includes('unspaced'))!;
    // PixelSpacing is [between rows, between columns]: i (along a row) keeps 0.7 mm, j gets 1 mm.
    expect(half.spacing[0]).toBeCloseTo(0.7, 6);
    expect(half.spacing[1]).toBe(1);
    expect(half.warnings).toContain('PixelSpacing 0\\0.7: 1 mm assumed between rows; measured distances and volumes may be wrong');
  });
});
