import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DicomSeries } from '../../../main/dicom/DicomSeries.js';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readModalityLut } from '../../../main/dicom/readModalityLut.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { countDifferent, lutReference, makeLutSeries, pydicomCt, type LutMode } from './modalityLutFiles.js';

const root = mkdtempSync(join(tmpdir(), 'axial-modality-lut-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function lutOf(file: string): ReturnType<typeof readModalityLut> {
  return readModalityLut(parseDicomBytes(readFileSync(file), file), file);
}

/** The scanned series of `folder`, each instance given the Modality LUT its file holds (what readDicomInstance reads into it). */
async function seriesWithLuts(folder: string): Promise<DicomSeries> {
  const [series] = (await scanDicom(folder)).series;
  const slices = series!.slices.map((slice) => {
    const instance = { ...slice.instance, modalityLut: lutOf(slice.instance.file) };
    return { ...slice, instance };
  });
  return { ...series!, slices };
}

describe.skipIf(!existsSync(pydicomCt))('readModalityLut on files pydicom wrote', () => {
  it('reads the 4096-entry table of v → 2v from 0, and its type', () => {
    const folder = makeLutSeries(root, 'unsigned');
    const lut = lutOf(join(folder, 'slice0.dcm'))!;
    expect(lut.firstMapped).toBe(0);
    expect(lut.type).toBe('HU');
    expect(lut.table).toBeInstanceOf(Uint16Array);
    expect([lut.table.length, lut.table[0], lut.table[1], lut.table[4095]]).toEqual([4096, 0, 2, 8190]);
  });

  it('reads the first mapped value as signed (-500) when PixelRepresentation is 1', () => {
    const lut = lutOf(join(makeLutSeries(root, 'signed'), 'slice0.dcm'))!;
    expect([lut.firstMapped, lut.table.length, lut.table[1199], lut.type]).toEqual([-500, 1200, 57601, 'US']);
  });

  it('reads 8-bit entries one a byte when the data holds one byte an entry', () => {
    const lut = lutOf(join(makeLutSeries(root, 'packed8'), 'slice0.dcm'))!;
    expect([lut.firstMapped, lut.table.length, lut.table[0], lut.table[255]]).toEqual([1000, 256, 255, 0]);
  });

  it('reads a descriptor of 0 entries as 65536', () => {
    const lut = lutOf(join(makeLutSeries(root, 'full'), 'slice0.dcm'))!;
    expect([lut.table.length, lut.table[0], lut.table[65535]]).toEqual([65536, 65535, 0]);
  });

  it('refuses data shorter than the descriptor claims (100 bytes for 4096 entries), naming the file', () => {
    const file = join(makeLutSeries(root, 'short'), 'slice0.dcm');
    expect(() => lutOf(file)).toThrow(expect.objectContaining({ code: 'DICOM_MALFORMED', file, message: expect.stringContaining('100 bytes') }));
  });

  it('is undefined for a file without the sequence', () => {
    expect(lutOf(pydicomCt)).toBeUndefined();
  });
});

describe.skipIf(!existsSync(pydicomCt))('loadDicomVolume maps stored values through each instance’s Modality LUT', () => {
  const cases: [LutMode, string, [number, number]][] = [
    // CT_small's 128-2193 doubled.
    ['unsigned', 'uint16', [256, 4386]],
    ['rle', 'uint16', [256, 4386]],
    // Stored -872 to 1193: under -500 entry 0, 699 and over the last (1199² mod 60000 = 57601); 59904 is 648² mod 60000.
    ['signed', 'uint16', [0, 59904]],
    // Stored 128 to 1000 take the first entry, 255; from 1255 on the last, 0: the table's 0-255 fits uint8.
    ['packed8', 'uint8', [0, 255]],
  ];
  it.each(cases)('%s: every voxel as numpy’s lookup (and pydicom’s apply_modality_lut), %s, range %j', async (mode, dataType, range) => {
    const folder = existsSync(join(root, mode)) ? join(root, mode) : makeLutSeries(root, mode);
    const expected = lutReference(folder, mode);
    expect(expected.pydicomAgrees).toBe(true);
    expect([expected.min, expected.max]).toEqual(range);
    const volume = await loadDicomVolume(await seriesWithLuts(folder));
    expect(volume.dataType).toBe(dataType);
    expect(valueRange(volume)).toEqual(range);
    expect(countDifferent(volume.voxels, expected.voxels)).toBe(0);
  });
});
