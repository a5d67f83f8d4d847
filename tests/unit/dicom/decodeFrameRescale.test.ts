import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecodePool } from '../../../main/decode/createDecodePool.js';
import { decodeFrame } from '../../../main/dicom/decodeFrame.js';
import type { FrameRescale } from '../../../main/dicom/FrameRescale.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../main/dicom/readFrameBytes.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const syntaxes = sharedData('dicom/ct-transfer-syntaxes');

/** A file's first frame, its format and transfer syntax, as the loader hands them to decodeFrame. */
function firstFrame(file: string): { uid: string; bytes: Uint8Array; format: ReturnType<typeof readPixelFormat> } {
  const dataSet = parseDicomBytes(new Uint8Array(readFileSync(file)), file);
  const format = readPixelFormat(dataSet, file);
  return { uid: dataSet.string('x00020010')!, bytes: readFrameBytes(dataSet, format, 0, file), format };
}

describe.skipIf(!hasSharedData)(`decodeFrame with a rescale (${noSharedDataReason})`, () => {
  const files = [
    join(sharedData('dicom/ct-abdomen-j2k'), readdirSync(sharedData('dicom/ct-abdomen-j2k'))[0]!),
    ...readdirSync(syntaxes)
      .filter((name) => /JPEGProcess14|RLELossless|BigEndian|JPEG2000Lossless/.test(name))
      .map((name) => join(syntaxes, name)),
  ];
  const rescales: FrameRescale[] = [
    { slope: 1, intercept: -1024, output: 'int16' },
    { slope: 2, intercept: 3, output: 'int16' },
    { slope: 1, intercept: 0, output: 'int16' },
  ];

  it.each(files)('gives slope × stored + intercept for every pixel, in the output type: %s', async (file) => {
    const { uid, bytes, format } = firstFrame(file);
    const stored = await decodeFrame(uid, bytes, format, file);
    for (const rescale of rescales) {
      const values = await decodeFrame(uid, bytes, format, file, rescale);
      expect(values).toBeInstanceOf(Int16Array);
      let mismatches = 0;
      for (let i = 0; i < stored.length; i++) if (values[i] !== stored[i]! * rescale.slope + rescale.intercept) mismatches++;
      expect(mismatches).toBe(0);
    }
  });

  it('gives the same values through the pool as here', async () => {
    const file = files[0]!;
    const { uid, bytes, format } = firstFrame(file);
    const pool = createDecodePool({ threads: 1 });
    try {
      const rescale = rescales[0]!;
      const pooled = await pool.decode({ transferSyntaxUid: uid, format, bytes: bytes.slice().buffer, file, rescale });
      const here = await decodeFrame(uid, bytes, format, file, rescale);
      expect(pooled).toBeInstanceOf(Int16Array);
      expect(Buffer.from(pooled.buffer, pooled.byteOffset, pooled.byteLength).equals(Buffer.from(here.buffer, here.byteOffset, here.byteLength))).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
