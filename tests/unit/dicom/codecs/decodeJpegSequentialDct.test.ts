import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmscriptenCodec } from '../../../../main/dicom/codecs/createEmscriptenCodec.js';
import { decodeJpegSequentialDct } from '../../../../main/dicom/codecs/decodeJpegSequentialDct.js';
import { decodeFrame } from '../../../../main/dicom/decodeFrame.js';
import { parseDicomBytes } from '../../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../../main/dicom/readFrameBytes.js';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { buildHandBuiltJpeg } from './buildHandBuiltJpeg.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

const SYNTAXES = 'dicom/ct-transfer-syntaxes';
const EXTENDED_51 = sharedData(`${SYNTAXES}/CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm`);
const BASELINE_50 = sharedData(`${SYNTAXES}/CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm`);
const PYDICOM_DATA = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
/** Debian's python3 has pydicom; the python3 first on PATH may not. */
const debianPython = '/usr/bin/python3';

const hasDcmtk = spawnSync('dcmdjpeg', ['--version']).error === undefined && spawnSync('dcmcjpeg', ['--version']).error === undefined;
const hasPydicom = spawnSync(debianPython, ['-c', 'import pydicom, numpy']).status === 0;
const toolsReason =
  hasDcmtk && hasPydicom ? 'DCMTK dcmdjpeg/dcmcjpeg and Debian pydicom' : 'SKIPPED: needs DCMTK (dcmdjpeg, dcmcjpeg) and /usr/bin/python3 with pydicom';
const scratch = mkdtempSync(join(tmpdir(), 'axial-jpeg-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const libjpegTurbo = createEmscriptenCodec({
  name: 'libjpeg-turbo',
  importFactory: () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
  className: 'JPEGDecoder',
});

/** The first frame of a DICOM file, with its rescale, read by Axial's own parser. */
function loadFrame(file: string): { bytes: Uint8Array; uid: string; slope: number; intercept: number } {
  const dataSet = parseDicomBytes(readFileSync(file), file);
  const format = readPixelFormat(dataSet, file);
  return {
    bytes: readFrameBytes(dataSet, format, 0, file),
    uid: dataSet.string('x00020010') ?? '',
    slope: dataSet.floatString('x00281053') ?? 1,
    intercept: dataSet.floatString('x00281052') ?? 0,
  };
}

/** Decodes a JPEG DICOM file with DCMTK's dcmdjpeg and reads the result's stored values with pydicom. */
function decodeWithDcmtk(file: string): Uint16Array {
  const name = `${createHash('sha1').update(file).digest('hex')}`;
  const decoded = join(scratch, `${name}.dcm`);
  const raw = join(scratch, `${name}.raw`);
  execFileSync('dcmdjpeg', [file, decoded], { stdio: 'pipe' });
  execFileSync(debianPython, ['-c', 'import sys, pydicom; pydicom.dcmread(sys.argv[1]).pixel_array.astype("<u2").tofile(sys.argv[2])', decoded, raw]);
  const bytes = readFileSync(raw);
  return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}

/** An odd-sized crop of CTImage.dcm, 8-bit or 12-bit unsigned, compressed by DCMTK's dcmcjpeg (+eb baseline, +ee extended). */
function makeDcmtkJpeg(bits: 8 | 12, rows: number, columns: number): string {
  const native = join(scratch, `crop${bits}.dcm`);
  const jpeg = join(scratch, `crop${bits}-jpeg.dcm`);
  const script = `
import sys, numpy as np, pydicom
from pydicom.uid import ExplicitVRLittleEndian
ds = pydicom.dcmread(sys.argv[1]); bits, rows, cols = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
crop = ds.pixel_array[200:200 + rows, 150:150 + cols].astype(np.int32)
crop = np.clip((crop + 1100) // 10, 0, 255).astype(np.uint8) if bits == 8 else np.clip(crop + 2048, 0, 4095).astype("<u2")
ds.Rows, ds.Columns = rows, cols
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = (8, 8, 7, 0) if bits == 8 else (16, 12, 11, 0)
data = crop.tobytes(); ds.PixelData = data + b"\\0" * (len(data) % 2)
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian; ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(sys.argv[2], write_like_original=False)`;
  execFileSync(debianPython, ['-c', script, sharedData(`${SYNTAXES}/CTImage.dcm`), native, String(bits), String(rows), String(columns)]);
  execFileSync('dcmcjpeg', [bits === 8 ? '+eb' : '+ee', native, jpeg], { stdio: 'pipe' });
  return jpeg;
}

function differences(actual: ArrayLike<number>, expected: ArrayLike<number>): { max: number; count: number } {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs((actual[i] as number) - (expected[i] as number));
    if (difference > 0) count++;
    max = Math.max(max, difference);
  }
  return { max, count };
}

function sha256(samples: Uint16Array): string {
  return createHash('sha256')
    .update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength))
    .digest('hex');
}

describe.skipIf(!hasSharedData)(`decodeJpegSequentialDct on CTImage.dcm in JPEG Extended, 12-bit (${noSharedDataReason})`, () => {
  it('decodes to the stored values DCMTK 3.6 decoded once (dcmdjpeg, then pydicom)', () => {
    const image = decodeJpegSequentialDct(loadFrame(EXTENDED_51).bytes, EXTENDED_51);
    expect(image).toMatchObject({ width: 512, height: 512, precision: 12 });
    expect(image.samples).toBeInstanceOf(Uint16Array);
    const samples = image.samples as Uint16Array;
    const stats = samples.reduce(
      (acc, value) => [Math.min(acc[0] as number, value), Math.max(acc[1] as number, value), (acc[2] as number) + value],
      [Infinity, -Infinity, 0],
    );
    expect(stats).toEqual([497, 2708, 405866194]);
    expect([samples[0], samples[256 * 512 + 256], samples[100 * 512 + 200], samples[511 * 512 + 511]]).toEqual([511, 2056, 1543, 511]);
    expect(sha256(samples)).toBe('85e3b617e00dc755e55971bfe8770210f17d4909b17db5d71d2617e22254b3b9');
  });

  it.skipIf(!hasDcmtk || !hasPydicom)(`decodes within 1 stored level of DCMTK's dcmdjpeg, run now (${toolsReason})`, () => {
    const image = decodeJpegSequentialDct(loadFrame(EXTENDED_51).bytes, EXTENDED_51);
    const { max, count } = differences(image.samples, decodeWithDcmtk(EXTENDED_51));
    expect(max).toBeLessThanOrEqual(1);
    // The same integer IDCT as libjpeg's ISLOW gives equal samples, here and in the tests below.
    expect(count).toBe(0);
  });

  it('after rescale, stays within 35.63 HU (mean 3.845 HU) of the uncompressed CTImage.dcm, as DCMTK does', async () => {
    const frame = loadFrame(EXTENDED_51);
    const image = decodeJpegSequentialDct(frame.bytes, EXTENDED_51);
    const original = sharedData(`${SYNTAXES}/CTImage.dcm`);
    const dataSet = parseDicomBytes(readFileSync(original), original);
    const format = readPixelFormat(dataSet, original);
    const reference = await decodeFrame(dataSet.string('x00020010') ?? '', readFrameBytes(dataSet, format, 0, original), format, original);
    const [slope, intercept] = [dataSet.floatString('x00281053') ?? 1, dataSet.floatString('x00281052') ?? 0];
    let worst = 0;
    let total = 0;
    for (let i = 0; i < reference.length; i++) {
      const error = Math.abs((image.samples[i] as number) * frame.slope + frame.intercept - ((reference[i] as number) * slope + intercept));
      worst = Math.max(worst, error);
      total += error;
    }
    // Measured: 35.628 HU max, 3.8444 HU mean; DCMTK's decode gives the same.
    expect(worst).toBeLessThanOrEqual(35.63);
    expect(total / reference.length).toBeLessThanOrEqual(3.845);
  });

  it('decodes the 8-bit JPEG Baseline (.50) slice exactly as libjpeg-turbo does', async () => {
    const { bytes } = loadFrame(BASELINE_50);
    const image = decodeJpegSequentialDct(bytes, BASELINE_50);
    expect(image).toMatchObject({ width: 512, height: 512, precision: 8 });
    expect(image.samples).toBeInstanceOf(Uint8Array);
    expect(differences(image.samples, (await libjpegTurbo.decode(bytes, BASELINE_50)).samples)).toEqual({ max: 0, count: 0 });
  });
});

describe.skipIf(!hasSharedData || !hasDcmtk || !hasPydicom)(
  `decodeJpegSequentialDct on files DCMTK encodes (${hasSharedData ? toolsReason : noSharedDataReason})`,
  () => {
    it('decodes an odd-sized 8-bit baseline crop (dcmcjpeg +eb) within 1 of libjpeg-turbo', async () => {
      const file = makeDcmtkJpeg(8, 61, 75);
      const { bytes, uid } = loadFrame(file);
      expect(uid).toBe('1.2.840.10008.1.2.4.50');
      const image = decodeJpegSequentialDct(bytes, file);
      expect(image).toMatchObject({ width: 75, height: 61, precision: 8 });
      const { max, count } = differences(image.samples, (await libjpegTurbo.decode(bytes, file)).samples);
      expect(max).toBeLessThanOrEqual(1);
      expect(count).toBe(0);
    });

    it('decodes an odd-sized 12-bit extended crop (dcmcjpeg +ee) within 1 of dcmdjpeg', () => {
      const file = makeDcmtkJpeg(12, 61, 75);
      const { bytes, uid } = loadFrame(file);
      expect(uid).toBe('1.2.840.10008.1.2.4.51');
      const image = decodeJpegSequentialDct(bytes, file);
      expect(image).toMatchObject({ width: 75, height: 61, precision: 12 });
      const { max, count } = differences(image.samples, decodeWithDcmtk(file));
      expect(max).toBeLessThanOrEqual(1);
      expect(count).toBe(0);
    });

    it.each(['JPEG-lossy.dcm', 'JPGExtended.dcm'])('decodes pydicom %s (12-bit, 1024x256) within 1 of dcmdjpeg', (name) => {
      const file = join(PYDICOM_DATA, name);
      if (!existsSync(file)) return;
      const image = decodeJpegSequentialDct(loadFrame(file).bytes, file);
      expect(image).toMatchObject({ width: 256, height: 1024, precision: 12 });
      const { max, count } = differences(image.samples, decodeWithDcmtk(file));
      expect(max).toBeLessThanOrEqual(1);
      expect(count).toBe(0);
    });
  },
);

/** What libjpeg's ISLOW IDCT makes of a flat block: DESCALE(dc * q, 3) + 2^(P-1), clamped. */
function flatSample(dc: number, quantizer: number, precision: number): number {
  return Math.min((1 << precision) - 1, Math.max(0, Math.floor((dc * quantizer + 4) / 8) + (1 << (precision - 1))));
}

function indexOfMarker(bytes: Uint8Array, marker: number): number {
  return bytes.findIndex((byte, i) => byte === 0xff && bytes[i + 1] === marker);
}

function expectAxialError(run: () => unknown, code: string, messagePart: RegExp): void {
  const started = performance.now();
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(performance.now() - started).toBeLessThan(1000);
  expect(thrown).toBeInstanceOf(AxialError);
  expect((thrown as AxialError).code).toBe(code);
  expect((thrown as AxialError).message).toMatch(messagePart);
  expect((thrown as AxialError).file).toBe('hand-built.jpg');
}

/**
 * Overwrites 1 to maxFlips random bytes of the stream, `trials` times, and decodes each copy:
 * every one must either decode to a whole image or throw an AxialError. The noise is a 32-bit
 * LCG, so that a failure can be reproduced.
 */
function corruptAndDecode(stream: Uint8Array, trials: number, maxFlips: number): void {
  let state = 7;
  const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let trial = 0; trial < trials; trial++) {
    const corrupted = stream.slice();
    for (let flips = 1 + Math.floor(random() * maxFlips); flips > 0; flips--) corrupted[Math.floor(random() * corrupted.length)] = Math.floor(random() * 256);
    try {
      const image = decodeJpegSequentialDct(corrupted, 'corrupted.jpg');
      expect(image.samples).toHaveLength(image.width * image.height);
    } catch (error) {
      expect(error).toBeInstanceOf(AxialError);
    }
  }
}

describe('decodeJpegSequentialDct on hand-built streams', () => {
  it.each([12, 8])('decodes a %i-bit 20x13 stream with restart markers, byte stuffing and a 16-bit DQT', async (precision) => {
    const dc = precision === 12 ? [-8192, 8191, 617, -1, 0, 10000] : [-1024, 1016, 77, -1, 0, 1500];
    const bytes = buildHandBuiltJpeg({ precision, dc, quantizer: 1, restartInterval: 2 });
    for (const marker of [0x00, 0xd0, 0xd1]) expect(indexOfMarker(bytes, marker)).toBeGreaterThan(0);
    const image = decodeJpegSequentialDct(bytes, 'hand-built.jpg');
    expect(image).toMatchObject({ width: 20, height: 13, precision });
    const expected = Array.from({ length: 20 * 13 }, (_, i) => flatSample(dc[Math.floor(i / 20 / 8) * 3 + Math.floor((i % 20) / 8)] as number, 1, precision));
    expect(Array.from(image.samples)).toEqual(expected);
    if (precision === 8) expect(Array.from((await libjpegTurbo.decode(bytes, 'hand-built.jpg')).samples)).toEqual(expected);
  });

  const stream = buildHandBuiltJpeg({ restartInterval: 2 });
  const scanStart = indexOfMarker(stream, 0xda) + 10;
  const withByte = (index: number, value: number): Uint8Array => stream.map((byte, i) => (i === index ? value : byte));
  it.each([
    { name: 'no SOI', bytes: stream.subarray(2), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /SOI/ },
    { name: 'truncated right after SOS', bytes: stream.subarray(0, scanStart), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /truncated/ },
    { name: 'truncated inside the scan', bytes: stream.subarray(0, scanStart + 3), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /truncated/ },
    { name: 'no EOI', bytes: buildHandBuiltJpeg({ endMarker: false }), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /EOI.*truncated/ },
    {
      name: 'three 1-bit Huffman codes',
      bytes: buildHandBuiltJpeg({ dcCounts: [3, ...new Array<number>(15).fill(0)] }),
      code: 'DICOM_CORRUPT_PIXEL_DATA',
      message: /Huffman table has more codes of length 1/,
    },
    {
      name: 'a Huffman table of 300 symbols',
      bytes: buildHandBuiltJpeg({ dcCounts: [0, 0, 0, 0, 0, 0, 0, 0, 300 - 255, 255, 0, 0, 0, 0, 0, 0] }),
      code: 'DICOM_CORRUPT_PIXEL_DATA',
      message: /300 symbols/,
    },
    { name: 'bits that are no Huffman code', bytes: withByte(scanStart, 0xf8), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /no code of its DC Huffman table/ },
    {
      name: 'restart markers out of sequence',
      bytes: withByte(indexOfMarker(stream, 0xd0) + 1, 0xd3),
      code: 'DICOM_CORRUPT_PIXEL_DATA',
      message: /expected restart marker RST0.*FFD3/,
    },
    { name: 'no frame header (SOF)', bytes: buildHandBuiltJpeg({ sof: 0 }), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /before any frame header/ },
    { name: 'three components', bytes: buildHandBuiltJpeg({ componentCount: 3 }), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /3 components/ },
    { name: '16-bit samples', bytes: buildHandBuiltJpeg({ precision: 16 }), code: 'DICOM_CORRUPT_PIXEL_DATA', message: /16-bit samples/ },
    {
      name: 'a 65535x65535 frame in a few bytes',
      bytes: buildHandBuiltJpeg({ width: 65535, height: 65535 }),
      code: 'DICOM_CORRUPT_PIXEL_DATA',
      message: /more than the \d+ bytes/,
    },
    {
      name: 'progressive DCT (SOF2)',
      bytes: buildHandBuiltJpeg({ sof: 0xc2 }),
      code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      message: /progressive DCT \(SOF2\)/,
    },
    { name: 'lossless (SOF3)', bytes: buildHandBuiltJpeg({ sof: 0xc3 }), code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX', message: /lossless \(SOF3\)/ },
    {
      name: 'arithmetic coding (SOF9)',
      bytes: buildHandBuiltJpeg({ sof: 0xc9 }),
      code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      message: /arithmetic-coded sequential DCT \(SOF9\)/,
    },
  ])('refuses a stream with $name', ({ bytes, code, message }) => {
    expectAxialError(() => decodeJpegSequentialDct(bytes, 'hand-built.jpg'), code, message);
  });

  it('refuses every truncation of a stream, and only ever throws AxialError on corrupted bytes, without hanging', () => {
    const started = performance.now();
    for (let end = 0; end < stream.length; end++) {
      expectAxialError(() => decodeJpegSequentialDct(stream.subarray(0, end), 'hand-built.jpg'), 'DICOM_CORRUPT_PIXEL_DATA', /JPEG/);
    }
    corruptAndDecode(stream, 2000, 3);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe.skipIf(!hasSharedData)(`decodeJpegSequentialDct on corrupted copies of the .51 slice (${noSharedDataReason})`, () => {
  it('refuses the stream cut anywhere with DICOM_CORRUPT_PIXEL_DATA, quickly', () => {
    const { bytes } = loadFrame(EXTENDED_51);
    for (let cut = 1; cut < 100; cut++) {
      const started = performance.now();
      const end = Math.floor((bytes.length * cut) / 100) - (cut % 3);
      expect(() => decodeJpegSequentialDct(bytes.subarray(0, end), EXTENDED_51)).toThrow(AxialError);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('only ever throws AxialError on copies with a few bytes overwritten, without hanging', () => {
    const started = performance.now();
    corruptAndDecode(loadFrame(EXTENDED_51).bytes, 300, 4);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
