import { constants as bufferConstants } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DicomSeries } from '../../../main/dicom/DicomSeries.js';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { orientationCode } from '../../../main/volume/volumeTransforms.js';
import { valueRange } from '../../../main/volume/valueRange.js';
import { countMismatches, indexMapping } from '../../indexMapping.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { tinyImage } from './buildHostileDicom.js';

describe.skipIf(!hasSharedData)(`DICOM series against dcm2niix (${noSharedDataReason})`, () => {
  it('assembles ct-abdomen-j2k into the voxels and geometry of dcm2niix’s conversion', async () => {
    const scan = await scanInput(sharedData('dicom/ct-abdomen-j2k'));
    expect(scan.series).toHaveLength(1);
    expect(scan.skipped).toEqual([]);
    const { volume, warnings } = await scan.series[0]!.load();
    expect(warnings).toEqual([]);
    expect(volume.dimensions).toEqual([512, 512, 20]);
    expect(volume.dataType).toBe('int16');
    expect(orientationCode(volume)).toBe('LPS');
    expect(volume.spacing[0]).toBeCloseTo(0.9765625, 9);
    expect(volume.spacing[2]).toBeCloseTo(2, 6);
    expect(volume.metadata.units).toBe('HU');
    expect(volume.metadata.windowPresets).toEqual([
      { center: 40, width: 300, name: 'WINDOW1' },
      { center: 300, width: 1500, name: 'WINDOW2' },
    ]);
    // dcm2niix: min -1024, max 1839, sum -3272217339 (nibabel on its output).
    expect(valueRange(volume)).toEqual([-1024, 1839]);
    let sum = 0;
    for (let i = 0; i < volume.voxels.length; i++) sum += volume.voxels[i]!;
    expect(sum).toBe(-3272217339);

    const reference = (await readNifti(sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'))).volume;
    const mapping = indexMapping(volume, reference);
    expect(mapping.cornerErrorMm).toBeLessThan(1e-3);
    expect(mapping.matrix).toEqual([
      [1, 0, 0],
      [0, -1, 0],
      [0, 0, 1],
    ]);
    expect(countMismatches(volume, reference, mapping)).toBe(0);
  });
});

describe('loadDicomVolume refuses a volume before allocating it', () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-load-dicom-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** The scanned series of a 2x2 image, with its size claims replaced by `rows` x `columns` x `slices`. */
  async function claimedSeries(rows: number, columns: number, slices: number): Promise<DicomSeries> {
    const path = join(folder, `${rows}x${columns}x${slices}.dcm`);
    writeFileSync(path, tinyImage());
    const series = (await scanDicom(path)).series[0]!;
    const slice = series.slices[0]!;
    const instance = { ...slice.instance, pixelFormat: { ...slice.instance.pixelFormat, rows, columns } };
    return { ...series, dimensions: [columns, rows, slices], slices: Array.from({ length: slices }, () => ({ ...slice, instance })) };
  }

  it('over maxBytes', async () => {
    await expect(loadDicomVolume(await claimedSeries(2, 2, 1), { maxBytes: 7 })).rejects.toMatchObject({
      code: 'VOLUME_TOO_LARGE',
      message: expect.stringMatching(/2×2×1 at 16 bits needs 8 bytes, over the limit of 7/),
    });
  });

  // Node 20's typed arrays stop at 2^32 elements; where they go further, the claim is merely large.
  it.skipIf(bufferConstants.MAX_LENGTH >= 65535 * 65535 * 2)('with more voxels than one typed array may hold here, whatever maxBytes allows', async () => {
    const series = await claimedSeries(65535, 65535, 2);
    await expect(loadDicomVolume(series, { maxBytes: Number.POSITIVE_INFINITY })).rejects.toMatchObject({
      code: 'VOLUME_TOO_LARGE',
      message: expect.stringMatching(new RegExp(`8589672450 voxels, more than one array can hold here \\(${bufferConstants.MAX_LENGTH}\\)`)),
    });
  });

  it('and reads the same 2x2 image when nothing was claimed', async () => {
    const volume = await loadDicomVolume(await claimedSeries(2, 2, 1));
    expect(Array.from(volume.voxels)).toEqual([1, 2, 3, 4]);
  });
});

describe('loadDicomVolume reads only what is still a regular file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-load-swapped-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  // A FIFO opened for reading would wait for a writer for ever; the scan saw a file, the load must not hang on the swap.
  it('refuses a file swapped for a FIFO between the scan and the load (INPUT_NOT_A_FILE, not a hang)', async () => {
    const path = join(folder, 'image.dcm');
    writeFileSync(path, tinyImage());
    const series = (await scanDicom(path)).series[0]!;
    rmSync(path);
    execFileSync('mkfifo', [path]);
    await expect(loadDicomVolume(series)).rejects.toMatchObject({ code: 'INPUT_NOT_A_FILE', file: path });
  });
});
