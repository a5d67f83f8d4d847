import { once } from 'node:events';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { thrownAxialError } from '../../expectAxialError.js';
import { seededRandom } from '../../seededRandom.js';
import { element, imagePixelModule, part10, text, us } from './buildPart10.js';

const DEFLATED = '1.2.840.10008.1.2.1.99';

function uint32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

/**
 * A deflated 256x256 16-bit image (131072 bytes of pixels) whose Pixel Data element claims
 * `claimedBytes` and is followed by `pixelBytes` zeros and then `trailer`.
 */
function deflatedImage(pixelBytes: number, claimedBytes = pixelBytes, trailer: number[] = []): Uint8Array {
  const header = [...element(0x00080060, 'CS', text('CT')), ...imagePixelModule(256, 256), 0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0, ...uint32(claimedBytes)];
  const body = new Uint8Array(header.length + pixelBytes + trailer.length);
  body.set(header);
  body.set(trailer, header.length + pixelBytes);
  return new Uint8Array([...part10(DEFLATED), ...deflateRawSync(body, { level: 9 })]);
}

/** A Part 10 file of `parts` deflated a MiB at a time: byte arrays as they are, numbers as that many zeros. */
async function deflatedStream(parts: (Uint8Array | number)[]): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = new Uint8Array(2 ** 20);
  for (const part of parts) {
    if (typeof part !== 'number') deflate.write(part);
    for (let left = typeof part === 'number' ? part : 0; left > 0; left -= zeros.length) {
      if (!deflate.write(zeros.subarray(0, Math.min(left, zeros.length)))) await once(deflate, 'drain');
    }
  }
  deflate.end();
  await once(deflate, 'end');
  return new Uint8Array(Buffer.concat([part10(DEFLATED), ...chunks]));
}

/** An OB element (0009,0010) of `length` bytes (the value follows as its own part). */
function obHeader(length: number): Uint8Array {
  return new Uint8Array([0x09, 0x00, 0x10, 0x00, 0x4f, 0x42, 0, 0, ...uint32(length)]);
}

describe('deflated data sets (parseDeflatedDataSet through parseDicomBytes)', () => {
  it('inflates an image whole, trailing elements included', () => {
    const trailer = element(0xfffcfffc, 'OB', [0, 0, 0, 0]); // DataSetTrailingPadding
    const dataSet = parseDicomBytes(deflatedImage(131072, 131072, trailer), 'image.dcm');
    expect(dataSet.uint16('x00280010')).toBe(256);
    expect(dataSet.elements.x7fe00010?.length).toBe(131072);
    expect(dataSet.elements.xfffcfffc?.length).toBe(4);
  });

  it('reads the header only from the start of the stream, without inflating the pixels', () => {
    // 64 MiB of zeros behind the header: the header-only parse inflates a first look of a few MiB.
    const bytes = deflatedImage(64 * 2 ** 20, 131072);
    const header = parseDicomBytes(bytes, 'header.dcm', { untilTag: 'x7fe00010' });
    expect(header.uint16('x00280011')).toBe(256);
    expect(header.elements.x7fe00010?.length).toBe(131072);
    expect(header.byteArray.length).toBeLessThan(32 * 2 ** 20);
  });

  it('stops inflating a stream that holds far more than its Pixel Data claims or needs', () => {
    const claimsMore = thrownAxialError(() => parseDicomBytes(deflatedImage(64 * 2 ** 20), 'claims-more.dcm'));
    expect(claimsMore.code).toBe('DICOM_CORRUPT_PIXEL_DATA');
    expect(claimsMore.message).toMatch(
      /^claims-more\.dcm: the deflated data set inflates past \d+ bytes, more than its Pixel Data \(1 frame\(s\) of 256x256 at 16 bits: 131072 bytes\)/,
    );
    const claimsLess = thrownAxialError(() => parseDicomBytes(deflatedImage(64 * 2 ** 20, 131072), 'claims-less.dcm'));
    expect(claimsLess.code).toBe('DICOM_CORRUPT_PIXEL_DATA');
  });

  it('still reads a data set without Pixel Data, and calls a cut stream truncated', () => {
    const body = new Uint8Array([...element(0x00080060, 'CS', text('SR')), ...element(0x0040a040, 'CS', text('TEXT'))]);
    const bytes = new Uint8Array([...part10(DEFLATED), ...deflateRawSync(body)]);
    expect(parseDicomBytes(bytes, 'sr.dcm').string('x0040a040')).toBe('TEXT');
    expect(thrownAxialError(() => parseDicomBytes(deflatedImage(131072).subarray(0, 200), 'cut.dcm')).code).toBe('DICOM_TRUNCATED');
  });

  it('finds a header behind 3 MiB of incompressible bytes, and one just before 256 MiB of zeros', async () => {
    const noise = new Uint8Array(3 * 2 ** 20).map((_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff);
    const pixelHeader = new Uint8Array([...imagePixelModule(256, 256), 0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0, ...uint32(256 * 2 ** 20)]);
    const bytes = await deflatedStream([obHeader(noise.length), noise, pixelHeader, 256 * 2 ** 20]);
    const header = parseDicomBytes(bytes, 'behind-noise.dcm', { untilTag: 'x7fe00010' });
    expect(header.uint16('x00280010')).toBe(256);
    expect(header.elements.x00090010?.length).toBe(noise.length);
    // The whole data set holds 256 MiB of pixels where 256x256 at 16 bits needs 128 KiB.
    expect(thrownAxialError(() => parseDicomBytes(bytes, 'behind-noise.dcm')).code).toBe('DICOM_CORRUPT_PIXEL_DATA');
  });

  it('refuses a stream whose elements before Pixel Data inflate past 128 MiB', async () => {
    const bytes = await deflatedStream([obHeader(200 * 2 ** 20), 200 * 2 ** 20]);
    const error = thrownAxialError(() => parseDicomBytes(bytes, 'big-header.dcm', { untilTag: 'x7fe00010' }));
    expect(error.code).toBe('INPUT_TOO_LARGE');
    expect(error.message).toMatch(/inflates past 134217728 bytes before its Pixel Data/);
  });

  it('refuses a claim past what one buffer can hold as VOLUME_TOO_LARGE before inflating (was: DICOM_MALFORMED from a zlib option error)', () => {
    const random = seededRandom(11);
    const header = [
      ...element(0x00080060, 'CS', text('CT')),
      ...element(0x00280002, 'US', us(1)),
      ...element(0x00280008, 'IS', text('1000', 'IS')),
      ...element(0x00280010, 'US', us(65535)),
      ...element(0x00280011, 'US', us(65535)),
      ...element(0x00280100, 'US', us(16)),
      ...[0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0, ...uint32(0xfffffffe)],
      // Incompressible bytes after it, so the stream is longer than the first look at its start.
      ...Array.from({ length: 64 * 1024 }, () => Math.floor(random() * 256)),
    ];
    const bytes = new Uint8Array([...part10(DEFLATED), ...deflateRawSync(new Uint8Array(header))]);
    const error = thrownAxialError(() => parseDicomBytes(bytes, 'huge-claim.dcm'));
    expect(error.code).toBe('VOLUME_TOO_LARGE');
    expect(error.message).toMatch(/1000 frame\(s\) of 65535x65535 at 16 bits: 8589672450000 bytes\) is more than one buffer can hold/);
  });
});
