import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { tinyImage } from './buildHostileDicom.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-stored-cells-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('loadDicomVolume, collecting stored values in cells it has no array for', () => {
  // The scan refuses such a BitsAllocated; a series whose instance claims 4 (a fractional slope, so stored values are collected) reaches the load's own check.
  it('refuses BitsAllocated 4 with DICOM_UNSUPPORTED_PIXEL_FORMAT naming the file', async () => {
    const path = join(folder, 'image.dcm');
    writeFileSync(path, tinyImage());
    const series = (await scanDicom(path)).series[0]!;
    const slice = series.slices[0]!;
    const pixelFormat = { ...slice.instance.pixelFormat, bitsAllocated: 4, bitsStored: 4, highBit: 3 };
    const claimed = { ...series, slices: [{ ...slice, instance: { ...slice.instance, pixelFormat }, geometry: { ...slice.geometry, slope: 0.5 } }] };
    await expect(loadDicomVolume(claimed)).rejects.toMatchObject({
      code: 'DICOM_UNSUPPORTED_PIXEL_FORMAT',
      file: path,
      message: `${path}: BitsAllocated 4 is not 8, 16 or 32`,
    });
  });
});
