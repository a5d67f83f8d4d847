import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAxialError } from '../../expectAxialError.js';
import { decodeJpeg2000 } from '../../../main/dicom/codecs/decodeJpeg2000.js';
import { decodeFrame, type StoredValues } from '../../../main/dicom/decodeFrame.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat, type PixelFormat } from '../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../main/dicom/readFrameBytes.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { repoRoot } from '../../repoRoot.js';

const SYNTAXES = 'dicom/ct-transfer-syntaxes';
const HTJ2K_FIXTURE = join(repoRoot, 'tests/fixtures/dicom/CTImage-crop-64x128_HTJ2KLossless_1.2.840.10008.1.2.4.201.dcm');

interface LoadedFrame {
  uid: string;
  format: PixelFormat;
  bytes: Uint8Array;
  slope: number;
  intercept: number;
  file: string;
}

function loadFrame(file: string): LoadedFrame {
  const dataSet = parseDicomBytes(readFileSync(file), file);
  const format = readPixelFormat(dataSet, file);
  return {
    uid: dataSet.string('x00020010') ?? '',
    format,
    bytes: readFrameBytes(dataSet, format, 0, file),
    slope: dataSet.floatString('x00281053') ?? 1,
    intercept: dataSet.floatString('x00281052') ?? 0,
    file,
  };
}

const syntaxFile = (name: string): string => sharedData(`${SYNTAXES}/CTImage.dcm_${name}.dcm`);
const decode = (frame: LoadedFrame): Promise<StoredValues> => decodeFrame(frame.uid, frame.bytes, frame.format, frame.file);

function stats(values: ArrayLike<number>): { min: number; max: number; sum: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  return { min, max, sum };
}

describe.skipIf(!hasSharedData)(`decodeFrame on one CT slice in 15 transfer syntaxes${hasSharedData ? '' : ` (${noSharedDataReason})`}`, () => {
  let reference: StoredValues;
  let referenceFrame: LoadedFrame;

  beforeAll(async () => {
    referenceFrame = loadFrame(sharedData(`${SYNTAXES}/CTImage.dcm`));
    reference = await decode(referenceFrame);
  });

  it('decodes the implicit VR reference to the values pydicom 2.3.1 reads', () => {
    // Computed once with pydicom: ds.pixel_array of CTImage.dcm, int16, 512x512.
    expect(reference).toBeInstanceOf(Int16Array);
    expect(reference).toHaveLength(512 * 512);
    expect(stats(reference)).toEqual({ min: -2000, max: 2402, sum: 19640763 });
    expect([reference[0], reference[256 * 512 + 256], reference[100 * 512 + 200]]).toEqual([-2000, 1091, 64]);
    const sha256 = createHash('sha256')
      .update(new Uint8Array(reference.buffer, reference.byteOffset, reference.byteLength))
      .digest('hex');
    expect(sha256).toBe('1bee432808f49770bbc30d904e3e744082b0ba41704d4943e7de5bcb3e3d72f9');
  });

  it.each([
    'LittleEndianImplicitTransferSyntax_1.2.840.10008.1.2',
    'LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1',
    'DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99',
    'BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2',
    'RLELosslessTransferSyntax_1.2.840.10008.1.2.5',
    'JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57',
    'JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70',
    'JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80',
    'JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90',
  ])('decodes %s to exactly the reference pixels', async (name) => {
    const frame = loadFrame(syntaxFile(name));
    expect(frame.uid).toBe(name.slice(name.lastIndexOf('_') + 1));
    const values = await decode(frame);
    expect(values).toBeInstanceOf(Int16Array);
    expect(values).toHaveLength(reference.length);
    const mismatches = values.filter((value, i) => value !== reference[i]).length;
    expect(mismatches).toBe(0);
    expect(stats(values)).toEqual({ min: -2000, max: 2402, sum: 19640763 });
    // jpeg-lossless-decoder-js used to drop this one: see decodeJpegLossless.
    expect(values[values.length - 1]).toBe(-2000);
  });

  // Bounds are the errors measured here, in HU after each file's own rescale; GDCM 3.0 and DCMTK
  // 3.6 decode these files to the same errors and the same stored sums.
  it.each([
    {
      name: 'JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50',
      type: Uint8Array,
      stored: { min: 30, max: 168, sum: 25128768 },
      maxError: 64.22,
      meanError: 19.84,
    },
    // 12-bit: decoded by decodeJpegSequentialDct, not libjpeg-turbo.
    {
      name: 'JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51',
      type: Uint16Array,
      stored: { min: 497, max: 2708, sum: 405866194 },
      maxError: 35.63,
      meanError: 3.845,
    },
    {
      name: 'JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81',
      type: Int16Array,
      stored: { min: -2001, max: 2401, sum: 19673724 },
      maxError: 1,
      meanError: 0.695,
    },
    {
      name: 'JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91',
      type: Int16Array,
      stored: { min: -2003, max: 2401, sum: 19626368 },
      maxError: 5,
      meanError: 0.572,
    },
  ])('decodes lossy $name within $maxError HU (mean $meanError) of the reference', async ({ name, type, stored, maxError, meanError }) => {
    const frame = loadFrame(syntaxFile(name));
    const values = await decode(frame);
    expect(values).toBeInstanceOf(type);
    expect(stats(values)).toEqual(stored);
    let worst = 0;
    let total = 0;
    for (let i = 0; i < reference.length; i++) {
      const expected = (reference[i] as number) * referenceFrame.slope + referenceFrame.intercept;
      const error = Math.abs((values[i] as number) * frame.slope + frame.intercept - expected);
      worst = Math.max(worst, error);
      total += error;
    }
    expect(worst).toBeLessThanOrEqual(maxError);
    expect(total / reference.length).toBeLessThanOrEqual(meanError);
  });

  it('keeps JPEG-LS near-lossless within the NEAR the file was encoded with', async () => {
    const frame = loadFrame(syntaxFile('JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81'));
    const sos = frame.bytes.findIndex((byte, i) => byte === 0xff && frame.bytes[i + 1] === 0xda);
    // SOS: FFDA, Ls (2 bytes), Ns = 1, then C1 and Tm1, then NEAR (T.87 C.2.3).
    const near = frame.bytes[sos + 7] as number;
    expect(near).toBe(1);
    const values = await decode(frame);
    const errors = Array.from(values, (value, i) => Math.abs(value - (reference[i] as number)));
    expect(Math.max(...new Set(errors))).toBe(near);
  });

  it.each(['JPEGProcess6_8TransferSyntax_1.2.840.10008.1.2.4.53', 'JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55'])(
    'refuses 12-bit progressive JPEG %s, naming the syntax',
    async (name) => {
      const frame = loadFrame(syntaxFile(name));
      const uid = name.slice(name.lastIndexOf('_') + 1);
      await expectAxialError(
        decode(frame),
        'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
        new RegExp(`\\(${uid.replaceAll('.', '\\.')}\\) with 12-bit samples in a progressive \\(SOF2\\) frame`),
      );
    },
  );

  it.each([0.1, 0.5, 0.9, 0.99])('refuses a JPEG 2000 codestream truncated to %s of its length', async (fraction) => {
    for (const name of ['JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90', 'JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91']) {
      const frame = loadFrame(syntaxFile(name));
      const truncated = frame.bytes.subarray(0, Math.floor(frame.bytes.length * fraction));
      const error = await expectAxialError(decodeFrame(frame.uid, truncated, frame.format, frame.file), 'DICOM_CORRUPT_PIXEL_DATA');
      expect(error.file).toBe(frame.file);
    }
  });

  it.each([
    'RLELosslessTransferSyntax_1.2.840.10008.1.2.5',
    'JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50',
    'JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51',
    'JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57',
    'JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80',
  ])('refuses %s cut in half', async (name) => {
    const frame = loadFrame(syntaxFile(name));
    const half = frame.bytes.subarray(0, frame.bytes.length >> 1);
    await expectAxialError(decodeFrame(frame.uid, half, frame.format, frame.file), 'DICOM_CORRUPT_PIXEL_DATA');
  });

  it('refuses native pixel data shorter than the frame', async () => {
    const frame = referenceFrame;
    await expectAxialError(decodeFrame(frame.uid, frame.bytes.subarray(0, 1000), frame.format, frame.file), 'DICOM_TRUNCATED', /1000 bytes/);
  });

  it('decodes again after every kind of failure: a codec stays usable', async () => {
    const frame = loadFrame(syntaxFile('JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90'));
    await expectAxialError(decodeFrame(frame.uid, frame.bytes.subarray(0, 100), frame.format, frame.file), 'DICOM_CORRUPT_PIXEL_DATA');
    const values = await decode(frame);
    expect(values.filter((value, i) => value !== reference[i])).toHaveLength(0);
  });
});

describe('decodeFrame on High-Throughput JPEG 2000 (tests/fixtures)', () => {
  it('decodes the lossless HTJ2K crop to the values pydicom read from CTImage.dcm', async () => {
    const frame = loadFrame(HTJ2K_FIXTURE);
    expect(frame.uid).toBe('1.2.840.10008.1.2.4.201');
    const values = await decode(frame);
    expect(values).toBeInstanceOf(Int16Array);
    expect(values).toHaveLength(64 * 128);
    // pydicom: CTImage.dcm pixel_array[300:364, 0:128].
    expect(stats(values)).toEqual({ min: -2000, max: 1885, sum: 7072107 });
    expect([values[0], values[32 * 128 + 64], values[63 * 128 + 127]]).toEqual([-2000, 1168, 962]);
  });

  it('decodes to what OpenJPEG, an independent implementation, reads from the same codestream', async () => {
    const frame = loadFrame(HTJ2K_FIXTURE);
    const openJpeg = await decodeJpeg2000(frame.bytes, frame.format, frame.file);
    expect(openJpeg.samples).toBeInstanceOf(Int16Array);
    expect(await decode(frame)).toEqual(openJpeg.samples);
  });

  it.skipIf(!hasSharedData)('matches the same crop of the reference slice exactly', async () => {
    const values = await decode(loadFrame(HTJ2K_FIXTURE));
    const whole = await decode(loadFrame(sharedData(`${SYNTAXES}/CTImage.dcm`)));
    const crop = new Int16Array(64 * 128).map((_, i) => whole[(300 + Math.floor(i / 128)) * 512 + (i % 128)] as number);
    expect(values).toEqual(crop);
  });

  it.each([0.3, 0.6, 0.95])('refuses the HTJ2K codestream truncated to %s of its length', async (fraction) => {
    const frame = loadFrame(HTJ2K_FIXTURE);
    const truncated = frame.bytes.subarray(0, Math.floor(frame.bytes.length * fraction));
    await expectAxialError(decodeFrame(frame.uid, truncated, frame.format, frame.file), 'DICOM_CORRUPT_PIXEL_DATA', /truncated/);
  });
});
