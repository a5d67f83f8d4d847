import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../main/dicom/readFrameBytes.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { element, encapsulatedPixelData, imagePixelModule, part10, text } from './buildPart10.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.70';

/** Reads frame `index` of a hand-built file, or the AxialError/RangeError that says why not. */
function frame(bytes: Uint8Array, index: number): number[] {
  const dataSet = parseDicomBytes(bytes, 'built.dcm');
  return [...readFrameBytes(dataSet, readPixelFormat(dataSet, 'built.dcm'), index, 'built.dcm')];
}

function axialCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AxialError) return error.code;
    throw error;
  }
  return undefined;
}

const numberOfFrames = (frames: number): number[] => element(0x00280008, 'IS', text(String(frames)));
/** Fragments that open with a JPEG SOI and another marker (FFD8 FFC3) start a frame. */
const soi = (...rest: number[]): number[] => [0xff, 0xd8, 0xff, 0xc3, ...rest];

describe('readFrameBytes, native', () => {
  // Two 2x2 frames of 16-bit cells: 8 bytes each.
  const pixels = Array.from({ length: 16 }, (_, i) => i);
  const twoFrames = (declared: number): Uint8Array => part10(EXPLICIT_LE, numberOfFrames(declared), imagePixelModule(2, 2), element(0x7fe00010, 'OW', pixels));

  it('returns frame k from byte k x frame size', () => {
    expect(frame(twoFrames(2), 0)).toEqual(pixels.slice(0, 8));
    expect(frame(twoFrames(2), 1)).toEqual(pixels.slice(8, 16));
  });

  it('says the pixel data is truncated when NumberOfFrames promises more than it holds', () => {
    const dataSet = parseDicomBytes(twoFrames(3), 'three.dcm');
    const format = readPixelFormat(dataSet, 'three.dcm');
    expect(() => readFrameBytes(dataSet, format, 2, 'three.dcm')).toThrow(
      /three\.dcm: Pixel Data holds 16 bytes, but frame 3 of 3 \(2x2, 1 sample\(s\) of 16 bits, 8 bytes a frame\) ends at byte 24/,
    );
    expect(axialCode(() => readFrameBytes(dataSet, format, 2, 'three.dcm'))).toBe('DICOM_TRUNCATED');
  });

  it('throws RangeError for a frame that does not exist', () => {
    expect(() => frame(twoFrames(2), 2)).toThrow(RangeError);
    expect(() => frame(twoFrames(2), -1)).toThrow(RangeError);
  });

  it('reports missing Pixel Data', () => {
    expect(axialCode(() => frame(part10(EXPLICIT_LE, imagePixelModule(2, 2)), 0))).toBe('DICOM_MISSING_TAG');
  });

  it.skipIf(!hasSharedData)(`returns a view of the CT slice's 524288 pixel bytes${hasSharedData ? '' : ` (${noSharedDataReason})`}`, () => {
    const file = sharedData('dicom/ct-transfer-syntaxes/CTImage.dcm');
    const dataSet = parseDicomBytes(readFileSync(file), file);
    const bytes = readFrameBytes(dataSet, readPixelFormat(dataSet, file), 0, file);
    expect(bytes).toHaveLength(524288);
    expect(bytes.buffer).toBe(dataSet.byteArray.buffer);
    expect(bytes.byteOffset).toBe(dataSet.byteArray.byteOffset + (dataSet.elements['x7fe00010']?.dataOffset ?? -1));
  });
});

describe('readFrameBytes, encapsulated', () => {
  const file = (frames: number, fragments: number[][], offsetTable: number[] = []): Uint8Array =>
    part10(JPEG_LOSSLESS, numberOfFrames(frames), imagePixelModule(2, 2), encapsulatedPixelData(fragments, offsetTable));

  it('follows the Basic Offset Table, joining a frame split over fragments', () => {
    // Item offsets count from the first fragment item: 8-byte item header + 6 bytes, twice.
    const built = file(2, [soi(1, 2), [3, 4, 5, 6, 7, 8], soi(9, 10)], [0, 28]);
    expect(frame(built, 0)).toEqual([...soi(1, 2), 3, 4, 5, 6, 7, 8]);
    expect(frame(built, 1)).toEqual(soi(9, 10));
  });

  it('joins all fragments of a single frame without an offset table', () => {
    expect(
      frame(
        file(1, [
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        0,
      ),
    ).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('takes one fragment per frame when the counts agree', () => {
    const built = file(2, [
      [1, 2],
      [3, 4],
    ]);
    expect(frame(built, 1)).toEqual([3, 4]);
  });

  it('groups fragments at codestream starts when there are more fragments than frames', () => {
    const built = file(2, [soi(1, 2), [3, 4], soi(5, 6), [7, 8]]);
    expect(frame(built, 0)).toEqual([...soi(1, 2), 3, 4]);
    expect(frame(built, 1)).toEqual([...soi(5, 6), 7, 8]);
  });

  it('refuses fragments it cannot split into frames', () => {
    expect(
      axialCode(() =>
        frame(
          file(2, [
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
          1,
        ),
      ),
    ).toBe('DICOM_CORRUPT_PIXEL_DATA');
    expect(() =>
      frame(
        file(2, [
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        1,
      ),
    ).toThrow(/3 fragments cannot be split into 2 frames/);
  });

  it('refuses an offset table that is short or points between fragments', () => {
    expect(axialCode(() => frame(file(2, [soi(), soi()], [0]), 1))).toBe('DICOM_CORRUPT_PIXEL_DATA');
    expect(() => frame(file(2, [soi(), soi()], [0, 5]), 1)).toThrow(/frame 2 cannot be read .*offset table/);
  });
});
