import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DicomSeries } from '../../../main/dicom/DicomSeries.js';
import { decodeFrame } from '../../../main/dicom/decodeFrame.js';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readFrameBytes } from '../../../main/dicom/readFrameBytes.js';
import { isNative16Series, readNative16Slices } from '../../../main/dicom/readNative16Slices.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';

const pydicomData = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const hasPydicomData = existsSync(pydicomData);

/** Each slice decoded the general way (parse the file, cut the frame, decodeFrame) and rescaled in float64. */
async function decodedTheGeneralWay(series: DicomSeries): Promise<number[]> {
  const values: number[] = [];
  for (const slice of series.slices) {
    const { file, pixelFormat, transferSyntaxUid } = slice.instance;
    const dataSet = parseDicomBytes(new Uint8Array(readFileSync(file)), file);
    const stored = await decodeFrame(transferSyntaxUid, readFrameBytes(dataSet, pixelFormat, 0, file), pixelFormat, file);
    for (const v of stored) values.push(v * slice.geometry.slope + slice.geometry.intercept);
  }
  return values;
}

describe.skipIf(!hasPydicomData)(`readNative16Slices on real uncompressed series (pydicom's test files at ${pydicomData})`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-native16-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([
    ['GE CT, 5 slices, signed 16 bits, intercept -1024 (the SIMD pass)', join(pydicomData, 'dicomdirtests/98892001/CT5N')],
    ['pydicom CT_small (signed 16 bits, intercept -1024)', join(pydicomData, 'CT_small.dcm')],
    ['pydicom MR_small (signed 16 bits, no rescale: read straight into the volume)', join(pydicomData, 'MR_small.dcm')],
    ['pydicom MR_small implicit VR', join(pydicomData, 'MR_small_implicit.dcm')],
  ])('%s: the values of parse + decodeFrame + rescale, voxel for voxel', async (_, input) => {
    const series = (await scanDicom(input)).series[0]!;
    expect(isNative16Series(series.slices)).toBe(true);
    const volume = await loadDicomVolume(series);
    const want = await decodedTheGeneralWay(series);
    expect(volume.voxels.length).toBe(want.length);
    let mismatches = 0;
    for (let i = 0; i < want.length; i++) if (volume.voxels[i] !== want[i]) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('writes a file listed for two slices into both, each with its own rescale', async () => {
    const series = (await scanDicom(join(pydicomData, 'CT_small.dcm'))).series[0]!;
    const slice = series.slices[0]!;
    const sliceLength = slice.instance.pixelFormat.rows * slice.instance.pixelFormat.columns;
    const twice = [slice, { ...slice, geometry: { ...slice.geometry, intercept: slice.geometry.intercept + 7 } }];
    const output = new Int16Array(2 * sliceLength);
    const done: number[] = [];
    await readNative16Slices({ slices: twice, sliceLength, output, rescaleOf: (k) => twice[k]!.geometry, onFilesDecoded: (n) => done.push(n) });
    const want = await decodedTheGeneralWay({ ...series, slices: [slice] });
    expect(Array.from(output.subarray(0, sliceLength))).toEqual(want);
    expect(Array.from(output.subarray(sliceLength))).toEqual(want.map((v) => v + 7));
    expect(done).toEqual([1]);
  });

  it('refuses a file cut short after the scan with DICOM_TRUNCATED naming it', async () => {
    const copy = join(folder, 'short.dcm');
    cpSync(join(pydicomData, 'CT_small.dcm'), copy);
    const series = (await scanDicom(copy)).series[0]!;
    truncateSync(copy, series.slices[0]!.instance.nativePixelOffset! + 100);
    await expect(loadDicomVolume(series)).rejects.toMatchObject({
      code: 'DICOM_TRUNCATED',
      file: copy,
      message: expect.stringMatching(/ends after 100 bytes/),
    });
  });
});
