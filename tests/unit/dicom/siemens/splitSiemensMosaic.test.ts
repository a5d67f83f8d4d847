import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDicomVolume } from '../../../../main/dicom/loadDicomVolume.js';
import { readDicomInstance } from '../../../../main/dicom/readDicomInstance.js';
import { scanDicom } from '../../../../main/dicom/scanDicom.js';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { sequence } from '../buildHostileDicom.js';
import { element, imagePixelModule, part10, text, us } from '../buildPart10.js';
import { csaHeader, type CsaElement } from './buildCsaHeader.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const folder = mkdtempSync(join(tmpdir(), 'axial-mosaic-built-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface MosaicOptions {
  readonly imageType?: string;
  readonly csa?: readonly CsaElement[] | Uint8Array;
  /** NumberOfImagesInMosaic in (0019,xx0A), and the private block it goes in (0x10 unless said). */
  readonly privateCount?: number;
  readonly privateBlock?: number;
  readonly size?: number;
  /** NumberOfFrames, each frame a copy of the first. */
  readonly frames?: number;
}

/**
 * A Size×Size MR mosaic (default 4×4, 16-bit, pixel values 0, 1, 2… in row order) at
 * ImagePositionPatient (0,0,0), axial, PixelSpacing 1\1, SpacingBetweenSlices 3, with
 * the private elements asked for, each block under its Siemens private creator.
 */
function mosaicFile(name: string, options: MosaicOptions): string {
  const size = options.size ?? 4;
  const block = options.privateBlock ?? 0x10;
  const csaBytes = options.csa instanceof Uint8Array ? options.csa : options.csa && csaHeader(options.csa);
  const frame = Array.from({ length: size * size }, (_, i) => us(i)).flat();
  const pixels = Array.from({ length: options.frames ?? 1 }, () => frame).flat();
  const bytes = part10(
    EXPLICIT_LE,
    element(0x00080008, 'CS', text(options.imageType ?? 'ORIGINAL\\PRIMARY\\M\\ND\\MOSAIC')),
    element(0x00080060, 'CS', text('MR')),
    element(0x00180088, 'DS', text('3')),
    ...(options.privateCount === undefined
      ? []
      : [element(0x00190000 | block, 'LO', text('SIEMENS MR HEADER')), element(0x00190000 | (block << 8) | 0x0a, 'US', us(options.privateCount))]),
    element(0x0020000e, 'UI', text('1.2.3.4', 'UI')),
    element(0x00200032, 'DS', text('0\\0\\0')),
    element(0x00200037, 'DS', text('1\\0\\0\\0\\1\\0')),
    imagePixelModule(size, size),
    // Frames after the first are placed by a shared PlanePositionSequence, as in manyFramesClaim.
    ...(options.frames === undefined
      ? []
      : [element(0x00280008, 'IS', text(String(options.frames))), sequence(0x52009229, sequence(0x00209113, element(0x00200032, 'DS', text('0\\0\\0'))))]),
    element(0x00280030, 'DS', text('1\\1')),
    ...(csaBytes ? [element(0x00290010, 'LO', text('SIEMENS CSA HEADER')), element(0x00291010, 'OB', csaBytes)] : []),
    element(0x7fe00010, 'OW', pixels),
  );
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

const count = (n: string): CsaElement => ({ name: 'NumberOfImagesInMosaic', vr: 'US', values: [n] });
const normal = (...v: string[]): CsaElement => ({ name: 'SliceNormalVector', vr: 'FD', values: v });

async function read(path: string): Promise<Awaited<ReturnType<typeof readDicomInstance>>> {
  return readDicomInstance(path, statSync(path).size);
}

async function refusal(path: string): Promise<AxialError> {
  const error = await read(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error instanceof AxialError) return error;
  throw new Error(`expected an AxialError, got ${String(error)}`);
}

describe('splitSiemensMosaic (hand-built mosaics)', () => {
  it('cuts 4 tiles row-major from a 2×2 grid, slice 0 at the mosaic’s corner moved by half the unused size', async () => {
    const path = mosaicFile('four.dcm', { csa: [count('4'), normal('0', '0', '1')] });
    const scan = await scanDicom(path);
    const series = scan.series[0]!;
    expect(series.dimensions).toEqual([2, 2, 4]);
    // (4 - 2)/2 = 1 pixel along the row and the column direction; slices 3 mm apart along +z.
    expect(series.origin).toEqual([1, 1, 0]);
    expect(series.spacing).toEqual([1, 1, 3]);
    expect(series.warnings).toEqual([]);
    const volume = await loadDicomVolume(series);
    expect([...volume.voxels]).toEqual([0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]);
  });

  it('stacks the tiles the other way when the CSA normal points against row × column', async () => {
    const path = mosaicFile('against.dcm', { csa: [count('3'), normal('0', '0', '-1')], privateCount: 3 });
    const scan = await scanDicom(path);
    const series = scan.series[0]!;
    expect(series.dimensions).toEqual([2, 2, 3]);
    // Tile 2 lies 6 mm below tile 0: it is the volume's first slice.
    expect(series.origin).toEqual([1, 1, -6]);
    const volume = await loadDicomVolume(series);
    expect([...volume.voxels]).toEqual([8, 9, 12, 13, 2, 3, 6, 7, 0, 1, 4, 5]);
  });

  it('takes N from (0019,xx0A) under "SIEMENS MR HEADER" in any private block, and warns without a CSA normal', async () => {
    const instance = await read(mosaicFile('block11.dcm', { privateCount: 4, privateBlock: 0x11 }));
    expect('frames' in instance && instance.frames.map((f) => f.position)).toEqual([
      [1, 1, 0],
      [1, 1, 3],
      [1, 1, 6],
      [1, 1, 9],
    ]);
    expect('warnings' in instance && instance.warnings).toEqual(['the CSA header has no SliceNormalVector: mosaic slices are placed along row × column']);
  });

  it('prefers the CSA header’s count and says so when (0019,100A) disagrees', async () => {
    const instance = await read(mosaicFile('disagree.dcm', { csa: [count('4'), normal('0', '0', '1')], privateCount: 3 }));
    expect('frames' in instance && instance.frames).toHaveLength(4);
    expect('warnings' in instance && instance.warnings).toEqual([
      "NumberOfImagesInMosaic is 4 in the CSA header but 3 in (0019,100A): the CSA header's is used",
    ]);
  });

  it('reads a MOSAIC without any NumberOfImagesInMosaic as one image, with a warning', async () => {
    const instance = await read(mosaicFile('nocount.dcm', { csa: [normal('0', '0', '1')] }));
    expect('frames' in instance && instance.frames).toHaveLength(1);
    expect('mosaic' in instance && instance.mosaic).toBeFalsy();
    expect('warnings' in instance && instance.warnings.join()).toMatch(/neither the CSA header nor \(0019,100A\)/);
  });

  it('leaves an image that is not a MOSAIC alone, whatever its private elements say', async () => {
    const instance = await read(mosaicFile('plain.dcm', { imageType: 'ORIGINAL\\PRIMARY\\M\\ND', csa: new Uint8Array(8), privateCount: 4 }));
    expect('frames' in instance && instance.frames).toHaveLength(1);
  });

  it.each([
    ['a count whose grid does not divide the image', { csa: [count('5')] }, /grid of 3×3 tiles/],
    ['a count that is not a number', { csa: [count('twelve')] }, /NumberOfImagesInMosaic is "twelve"/],
    ['a count over 65535', { csa: [count('100000')] }, /NumberOfImagesInMosaic is "100000"/],
    ['a negative count', { csa: [count('-4')] }, /NumberOfImagesInMosaic is "-4"/],
    ['65535 slices a frame in 17 frames (over 2^20)', { csa: [count('65535')], size: 256, frames: 17 }, /17 frames of 65535 slices/],
    ['a damaged CSA header', { csa: csaHeader([count('4')]).subarray(0, 60), privateCount: 4 }, /CSA header/],
  ] as const)('refuses %s with DICOM_MALFORMED naming the file', async (_name, options, message) => {
    const path = mosaicFile('bad.dcm', options as MosaicOptions);
    const error = await refusal(path);
    expect(error.code).toBe('DICOM_MALFORMED');
    expect(error.file).toBe(path);
    expect(error.message).toMatch(message);
  });
});
