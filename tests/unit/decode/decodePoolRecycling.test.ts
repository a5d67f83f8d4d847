import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecodePool } from '../../../main/decode/createDecodePool.js';
import { decodeFrame } from '../../../main/dicom/decodeFrame.js';
import { parseDicomBytes } from '../../../main/dicom/parseDicomBytes.js';
import { readPixelFormat } from '../../../main/dicom/PixelFormat.js';
import { readFrameBytes } from '../../../main/dicom/readFrameBytes.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const series = sharedData('dicom/ct-abdomen-j2k');

/** A file's first frame as a view into the whole file's bytes, as the loader hands it to the pool. */
function frameOf(file: string): { uid: string; bytes: Uint8Array; format: ReturnType<typeof readPixelFormat> } {
  const dataSet = parseDicomBytes(new Uint8Array(readFileSync(file)), file);
  const format = readPixelFormat(dataSet, file);
  return { uid: dataSet.string('x00020010')!, bytes: readFrameBytes(dataSet, format, 0, file), format };
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe.skipIf(!hasSharedData)(`the decode pool reuses its buffers (${noSharedDataReason})`, () => {
  const files = readdirSync(series)
    .slice(0, 6)
    .map((name) => join(series, name));

  it('decodes views of file bytes, and later frames into the buffers given back, to the same values as here', async () => {
    const pool = createDecodePool({ threads: 1 });
    try {
      const frames = files.map(frameOf);
      const want = await Promise.all(frames.map(({ uid, bytes, format }, i) => decodeFrame(uid, bytes, format, files[i]!)));
      const given: ArrayBuffer[] = [];
      // Two in flight at a time, each one's buffer given back while the other still decodes.
      let pending = pool.decode({ transferSyntaxUid: frames[0]!.uid, format: frames[0]!.format, bytes: frames[0]!.bytes, file: files[0]! });
      for (let i = 1; i <= frames.length; i++) {
        const next =
          i < frames.length
            ? pool.decode({ transferSyntaxUid: frames[i]!.uid, format: frames[i]!.format, bytes: frames[i]!.bytes, file: files[i]! })
            : undefined;
        const values = await pending;
        expect(sameBytes(values, want[i - 1]!)).toBe(true);
        if (next) {
          pool.recycle!(values.buffer as ArrayBuffer);
          given.push(values.buffer as ArrayBuffer);
          pending = next;
        }
      }
      // A buffer given back while frames were in flight was sent out again (transferred: detached here).
      expect(given.some((buffer) => buffer.byteLength === 0)).toBe(true);
      // The caller's views are only copied, never taken.
      expect(frames.every(({ bytes }) => bytes.byteLength > 0)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('keeps nothing given back while idle, so a long-lived pool holds no frames between loads', async () => {
    const pool = createDecodePool({ threads: 1 });
    try {
      const { uid, bytes, format } = frameOf(files[0]!);
      const values = await pool.decode({ transferSyntaxUid: uid, format, bytes, file: files[0]! });
      const buffer = values.buffer as ArrayBuffer;
      pool.recycle!(buffer);
      const again = await pool.decode({ transferSyntaxUid: uid, format, bytes, file: files[0]! });
      expect(buffer.byteLength).toBe(512 * 512 * 2);
      expect(sameBytes(again, values)).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
