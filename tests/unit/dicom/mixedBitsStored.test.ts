import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { runPythonJson } from '../../python.js';

const pydicomCt = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const folder = mkdtempSync(join(tmpdir(), 'axial-bits-stored-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * Three unsigned slices with intercept -1024: the first and last 12-bit (stored 1000 everywhere), the middle one
 * 16-bit with one pixel of 40000 (38976 HU), as a scanner's reconstruction of a metal implant may store it.
 */
const makeSeries = `
import sys, numpy as np, pydicom
from pydicom.uid import generate_uid
src, out = sys.argv[1], sys.argv[2]
series = generate_uid()
for k, bits in enumerate([12, 16, 12]):
    ds = pydicom.dcmread(src)
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = k + 1
    ds.ImagePositionPatient = [0, 0, float(k)]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelRepresentation = 0
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.RescaleSlope = 1
    ds.RescaleIntercept = -1024
    pixels = np.full((ds.Rows, ds.Columns), 1000, dtype=np.uint16)
    if bits == 16:
        pixels[3, 5] = 40000
    ds.PixelData = pixels.tobytes()
    ds.save_as(f'{out}/slice{k}.dcm')
print('{}')
`;

describe.skipIf(!existsSync(pydicomCt))('a series whose slices differ in BitsStored', () => {
  it('keeps every value: the type is sized by the widest slice, not the first (38976 HU wrapped to -26560 in int16)', async () => {
    runPythonJson(makeSeries, [pydicomCt, folder]);
    const series = (await scanDicom(folder)).series;
    expect(series).toHaveLength(1);
    const volume = await loadDicomVolume(series[0]!);
    const [columns, rows] = volume.dimensions;
    expect(volume.voxels[columns * rows + 3 * columns + 5]).toBe(38976);
    let low = Infinity;
    for (const v of volume.voxels) low = Math.min(low, v);
    expect(low).toBe(-24);
  });
});
