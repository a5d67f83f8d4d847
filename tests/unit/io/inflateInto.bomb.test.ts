import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inflateInto } from '../../../main/io/inflateInto.js';

/** Every byte the inflaters made, counted by a listener of their own that changes nothing they do. */
const inflated = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  const createInflateRaw: typeof zlib.createInflateRaw = (options) =>
    zlib.createInflateRaw(options).on('data', (chunk: Buffer) => {
      inflated.bytes += chunk.length;
    });
  return { ...zlib, createInflateRaw };
});

const folder = mkdtempSync(join(tmpdir(), 'axial-inflateInto-bomb-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A 1 MB gzip file that inflates to 1 GiB: a 352-byte NIfTI-1 header's place and 10×10×10 uint8 voxels, then 1 GiB
 * of zeros. Each MiB of zeros is one fully flushed run of deflate blocks, so the same bytes can follow each other.
 * Its trailer is never reached; it is written as zeros.
 */
function gzipBomb(): Buffer {
  const flushed = { finishFlush: constants.Z_FULL_FLUSH };
  const volume = Buffer.from(Array.from({ length: 352 + 1000 }, (_, n) => n % 251));
  const megabyteOfZeros = deflateRawSync(Buffer.alloc(1 << 20), flushed);
  return Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]),
    deflateRawSync(volume, flushed),
    ...Array<Buffer>(1024).fill(megabyteOfZeros),
    Buffer.from([3, 0]), // the final, empty, fixed-Huffman block
    Buffer.alloc(8),
  ]);
}

describe('inflateInto on a gzip bomb', () => {
  it('reads the volume its header needs and inflates little past it', async () => {
    const path = join(folder, 'bomb.nii.gz');
    const bomb = gzipBomb();
    writeFileSync(path, bomb);
    expect(bomb.length).toBeLessThan(1.1e6);
    const peakKiB = process.resourceUsage().maxRSS;
    const { bytes } = await inflateInto({ path, headerBytes: 352, rangeFromHeader: () => ({ offset: 352, size: 1000 }) });
    expect(Array.from(bytes.subarray(0, 3))).toEqual([352 % 251, 353 % 251, 354 % 251]);
    // Past the range and the megabyte after it, at most one 64 KiB write of the compressed stream is inflated
    // (1032 × 64 KiB, 66 MB); before, the whole 1 MiB read was, a gigabyte.
    expect(inflated.bytes).toBeLessThan(100e6);
    expect((process.resourceUsage().maxRSS - peakKiB) * 1024).toBeLessThan(40e6);
  });
});
