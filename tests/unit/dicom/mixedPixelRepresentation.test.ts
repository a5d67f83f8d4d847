import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { scanInput } from '../../../main/input/scanInput.js';
import type { Volume } from '../../../main/volume/Volume.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { runAbdomenVariant, writeDecompressedAbdomen } from './abdomenVariants.js';

/**
 * The real abdomen CT with every other slice (00.dcm, 02.dcm…) rewritten signed, as the audit's mkmix.py
 * mixsign: PixelRepresentation 1, stored value = HU, RescaleIntercept 0; the odd slices stay unsigned
 * with intercept -1024. Every slice's HU is unchanged, and dcm2niix makes one 20-slice volume of it.
 */
const makeSeries = `
for k, ds in enumerate(slices):
    if k % 2 == 0:
        ds.PixelRepresentation, ds.RescaleIntercept = 1, '0'
        ds.PixelData = (ds.pixel_array.astype(np.int64) - 1024).astype('<i2').tobytes()
    save(ds, os.path.join(out, '%02d.dcm' % k))
print('{}')
`;

/**
 * BitsStored 16 on every slice and the odd slices signed, so the series' first slice is unsigned: the unsigned
 * slices' stored range (0…65535) and the signed ones' (−32768…32767) need a type wider than either.
 */
const makeSeries16 = `
for k, ds in enumerate(slices):
    ds.BitsStored, ds.HighBit = 16, 15
    if k % 2 == 1:
        ds.PixelRepresentation, ds.RescaleIntercept = 1, '0'
        ds.PixelData = (ds.pixel_array.astype(np.int64) - 1024).astype('<i2').tobytes()
    save(ds, os.path.join(out, '%02d.dcm' % k))
print('{}')
`;

describe.skipIf(!hasSharedData)(`a series whose slices differ in PixelRepresentation (${noSharedDataReason})`, () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-mixed-sign-'));
  let series: Volume;

  beforeAll(async () => {
    writeDecompressedAbdomen(join(root, 'series'));
    runAbdomenVariant(join(root, 'series'), join(root, 'mixed'), makeSeries);
    runAbdomenVariant(join(root, 'series'), join(root, 'mixed16'), makeSeries16);
    series = (await (await scanInput(join(root, 'series'), { threads: 1 })).series[0]!.load()).volume;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is one volume of 20 slices 2 mm apart (not two interleaved ones 4 mm apart), each slice at its HU', async () => {
    const scan = await scanDicom(join(root, 'mixed'));
    expect(scan.series.map((s) => [s.slices.length, Number(s.spacing[2].toFixed(6))])).toEqual([[20, 2]]);
    expect(scan.series[0]!.slices.map((s) => s.instance.pixelFormat.pixelRepresentation)).toEqual([...Array(20).keys()].map((k) => (k % 2 === 0 ? 1 : 0)));

    const { volume } = await (await scanInput(join(root, 'mixed'), { threads: 1 })).series[0]!.load();
    expect(volume.dimensions).toEqual([512, 512, 20]);
    let different = 0;
    for (let i = 0; i < volume.voxels.length; i++) if (volume.voxels[i] !== series.voxels[i]) different++;
    expect(different).toBe(0);
  });

  it('keeps each slice at its HU when all 16 bits are stored, signed slices among unsigned ones (they came out 65536 too high)', async () => {
    const { volume } = await (await scanInput(join(root, 'mixed16'), { threads: 1 })).series[0]!.load();
    expect(volume.dimensions).toEqual([512, 512, 20]);
    let different = 0;
    for (let i = 0; i < volume.voxels.length; i++) if (volume.voxels[i] !== series.voxels[i]) different++;
    expect(different).toBe(0);
  });
});
