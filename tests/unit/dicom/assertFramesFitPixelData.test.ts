import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertFramesFitPixelData } from '../../../main/dicom/assertFramesFitPixelData.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../main/dicom/PixelFormat.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { sequence } from './buildHostileDicom.js';
import { element, encapsulatedPixelData, imagePixelModule, part10, text } from './buildPart10.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const DEFLATED = '1.2.840.10008.1.2.1.99';

/** Parses the header as readDicomInstance does (up to Pixel Data) from the first `parsed` bytes, and checks it. */
function check(bytes: Uint8Array, parsed = bytes.length, fileSize = bytes.length): string | undefined {
  const prefix = bytes.subarray(0, parsed);
  const dataSet = parseDicomBytes(prefix, 'built.dcm', { untilTag: 'x7fe00010' });
  try {
    assertFramesFitPixelData(dataSet, readPixelFormat(dataSet, 'built.dcm'), { fileSize, bytesParsed: prefix.length }, 'built.dcm');
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    return `${(error as AxialError).code}: ${(error as AxialError).message}`;
  }
  return undefined;
}

function frames(count: number): number[] {
  return element(0x00280008, 'IS', text(String(count), 'IS'));
}

/** Native 4x4 16-bit frames: 32 bytes each. */
function native(frameCount: number, pixelBytes: number): Uint8Array {
  return part10(EXPLICIT_LE, frames(frameCount), imagePixelModule(4, 4), element(0x7fe00010, 'OW', new Array<number>(pixelBytes).fill(0)));
}

describe('assertFramesFitPixelData', () => {
  it('accepts native frames that exactly fill the Pixel Data, and refuses one byte less', () => {
    expect(check(native(3, 96))).toBeUndefined();
    expect(check(native(3, 94))).toMatch(
      /^DICOM_TRUNCATED: built\.dcm: the header claims 3 frame\(s\) of 4x4 pixels, 1 sample\(s\) of 16 bits \(96 bytes\), but the Pixel Data holds 94 bytes/,
    );
  });

  it('bounds a Pixel Data length that claims more than the file by the file size, when only a prefix was parsed', () => {
    const bytes = native(1000, 32_000);
    const headerEnd = bytes.length - 32_000;
    // The prefix ends 10 bytes into the pixels; the file is what the element claims: fits.
    expect(check(bytes, headerEnd + 10, bytes.length)).toBeUndefined();
    // The same prefix, but the file on disk is 100 bytes shorter than the element says.
    expect(check(bytes, headerEnd + 10, bytes.length - 100)).toMatch(/Pixel Data holds 31900 bytes/);
  });

  it('counts the made-up preamble of a file that starts with its meta information', () => {
    const withoutPreamble = native(2, 64).subarray(132);
    expect(check(withoutPreamble)).toBeUndefined();
    expect(check(withoutPreamble, withoutPreamble.length, withoutPreamble.length - 1)).toMatch(/holds 63 bytes/);
  });

  it('bounds a deflated data set by 1032 times its compressed bytes', () => {
    const dataSet = [...frames(1_000_000), ...imagePixelModule(64, 64), ...element(0x7fe00010, 'OW', [])];
    dataSet.splice(dataSet.length - 4, 4, 0xfe, 0xff, 0xff, 0xff); // OW length 0xFFFFFFFE
    const bytes = new Uint8Array([...part10(DEFLATED), ...deflateRawSync(new Uint8Array(dataSet))]);
    expect(check(bytes)).toMatch(/^DICOM_TRUNCATED: .*claims 1000000 frame\(s\) of 64x64 .* \(8192000000 bytes\), but the Pixel Data holds \d+ bytes/);
  });

  it('needs a fragment item per encapsulated frame', () => {
    const fragment = [0xff, 0xd8, 0xff, 0xd9];
    const bytes = (count: number): Uint8Array =>
      part10('1.2.840.10008.1.2.4.70', frames(count), imagePixelModule(4, 4), encapsulatedPixelData([fragment, fragment]));
    expect(check(bytes(2))).toBeUndefined();
    expect(check(bytes(5))).toMatch(/^DICOM_CORRUPT_PIXEL_DATA: .*claims 5 frames, but the encapsulated Pixel Data's 40 bytes hold at most 3 fragments/);
  });

  it('needs a PerFrameFunctionalGroupsSequence item per frame', () => {
    const perFrame = (items: number): number[] => sequence(0x52009230, ...Array.from({ length: items }, () => element(0x00209113, 'SQ', [])));
    const bytes = (items: number): Uint8Array =>
      part10(EXPLICIT_LE, frames(2), imagePixelModule(4, 4), perFrame(items), element(0x7fe00010, 'OW', new Array<number>(64).fill(0)));
    expect(check(bytes(2))).toBeUndefined();
    expect(check(bytes(1))).toMatch(/^DICOM_MALFORMED: .*claims 2 frames, but its PerFrameFunctionalGroupsSequence \(5200,9230\) has 1 item/);
  });
});
