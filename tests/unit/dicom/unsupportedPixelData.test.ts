import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { expectAxialError } from '../../expectAxialError.js';
import { runPythonJson } from '../../python.js';

const pydicomCt = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';

/**
 * From pydicom's CT_small (128×128): a CT series of 3 slices (z = 0, 1, 2) and, in the same series, files
 * whose pixels Axial cannot read as a grayscale volume (the audit's pal8, bit1 and mkpm.py files):
 * - pal8.dcm / pal8-rle.dcm: PALETTE COLOR, 8-bit indices with 256-entry colour tables, uncompressed / RLE Lossless;
 * - bit1.dcm: BitsAllocated 1, the pixels packed 8 to a byte;
 * - float.dcm / double.dcm: Parametric Map objects whose image is Float Pixel Data (7FE0,0008) / Double
 *   Float Pixel Data (7FE0,0009), with no Pixel Data.
 */
const makeFiles = `
import json, os, sys, numpy as np, pydicom
from pydicom.uid import RLELossless
src, out = sys.argv[1], sys.argv[2]
pixels = pydicom.dcmread(src).pixel_array.astype(np.int64)
def copy(name, k, uid_tail):
    ds = pydicom.dcmread(src)
    ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.94.1'
    ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.94.2.' + uid_tail
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = k + 1
    ds.ImagePositionPatient = [0, 0, float(k)]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    return ds
os.makedirs(os.path.join(out, 'series'))
for k in range(3):
    copy('series', k, str(k)).save_as(os.path.join(out, 'series', '%d.dcm' % k))
for name, rle in (('pal8.dcm', False), ('pal8-rle.dcm', True)):
    ds = copy(name, 3, name)
    ds.PhotometricInterpretation = 'PALETTE COLOR'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    for n in range(3):
        ds.add_new(0x00281101 + n, 'US', [256, 0, 16])
        ds.add_new(0x00281201 + n, 'OW', (np.arange(256) * 257).astype('<u2').tobytes())
    indices = np.clip(pixels // 16, 0, 255).astype(np.uint8)
    ds.PixelData = indices.tobytes()
    ds['PixelData'].VR = 'OB'
    if rle:
        ds.compress(RLELossless, indices)
    ds.save_as(os.path.join(out, name))
ds = copy('bit1.dcm', 4, 'bit1')
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 1, 0, 0
ds.PixelData = np.packbits((pixels > 1000).astype(np.uint8).ravel(), bitorder='little').tobytes()
ds['PixelData'].VR = 'OB'
ds.save_as(os.path.join(out, 'bit1.dcm'))
for name, bits, keyword, dtype in (('float.dcm', 32, 'FloatPixelData', '<f4'), ('double.dcm', 64, 'DoubleFloatPixelData', '<f8')):
    ds = copy(name, 5, name)
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.30'
    del ds.PixelData, ds.BitsStored, ds.HighBit, ds.PixelRepresentation
    ds.BitsAllocated = bits
    setattr(ds, keyword, (pixels * 0.001 - 1.5).astype(dtype).tobytes())
    ds.save_as(os.path.join(out, name))
print('{}')
`;

describe.skipIf(!existsSync(pydicomCt))('files whose pixels are no grayscale Axial reads', () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-unsupported-pixels-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(() => runPythonJson(makeFiles, [pydicomCt, root]), 60_000);

  /** The 3-slice series and `name` in one folder. */
  function folderWith(name: string): string {
    const folder = join(root, `with-${name}`);
    mkdirSync(folder);
    cpSync(join(root, 'series'), folder, { recursive: true });
    cpSync(join(root, name), join(folder, name));
    return folder;
  }

  async function expectSeriesListed(folder: string, name: string): Promise<string> {
    const scan = await scanDicom(folder);
    expect(scan.series.map((s) => s.slices.length)).toEqual([3]);
    expect(scan.skipped.map((s) => s.file)).toEqual([join(folder, name)]);
    return scan.skipped[0]!.reason;
  }

  it.each(['pal8.dcm', 'pal8-rle.dcm'])('%s: skips PALETTE COLOR the same way uncompressed or RLE, beside the series and alone', async (name) => {
    const reason = 'colour image (PALETTE COLOR): Axial reads grayscale volumes';
    expect(await expectSeriesListed(folderWith(name), name)).toBe(reason);
    const error = await expectAxialError(scanDicom(join(root, name)), 'DICOM_NO_IMAGES');
    expect(error.message).toBe(`${join(root, name)}: no DICOM images found (1 × ${reason})`);
  });

  it('skips a BitsAllocated 1 file in a folder, so the series lists; alone, refuses it naming the file', async () => {
    const message = 'BitsAllocated 1 is not supported: Axial reads images of 8, 16 or 32 bits a pixel';
    const folder = folderWith('bit1.dcm');
    expect(await expectSeriesListed(folder, 'bit1.dcm')).toBe(`DICOM_UNSUPPORTED_PIXEL_FORMAT: ${join(folder, 'bit1.dcm')}: ${message}`);
    expect((await scanInput(folder, { threads: 1 })).series.map((s) => s.images)).toEqual([3]);
    const error = await expectAxialError(scanInput(join(root, 'bit1.dcm')), 'DICOM_UNSUPPORTED_PIXEL_FORMAT');
    expect([error.file, error.message]).toEqual([join(root, 'bit1.dcm'), `${join(root, 'bit1.dcm')}: ${message}`]);
  });

  it.each([
    ['float.dcm', 'Float Pixel Data (7FE0,0008)'],
    ['double.dcm', 'Double Float Pixel Data (7FE0,0009)'],
  ])('%s: says plainly that float pixel data is not supported yet, naming the file', async (name, element) => {
    const message = `float pixel data (parametric map) is not supported yet: the image is in ${element}`;
    const error = await expectAxialError(scanInput(join(root, name)), 'DICOM_UNSUPPORTED_PIXEL_FORMAT');
    expect([error.file, error.message]).toEqual([join(root, name), `${join(root, name)}: ${message}`]);
    const folder = folderWith(name);
    expect(await expectSeriesListed(folder, name)).toBe(`DICOM_UNSUPPORTED_PIXEL_FORMAT: ${join(folder, name)}: ${message}`);
  });
});
