import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipChunks } from '../../../main/io/gzipChunks.js';
import { seededRandom } from '../../seededRandom.js';

describe('gzipChunks', () => {
  it('gives one gzip stream of the chunks in order, as gzip itself reads it and gzipSync writes it, in pieces of at most 1 MiB', async () => {
    const random = seededRandom(7);
    // A header, an empty chunk, 3 MiB of little entropy (a label map) and 2 MiB of noise, which does not compress.
    const chunks = [
      Uint8Array.from({ length: 352 }, (_, n) => n % 251),
      new Uint8Array(0),
      Uint8Array.from({ length: 3 << 20 }, (_, n) => (n >> 14) % 5),
      Uint8Array.from({ length: 2 << 20 }, () => Math.floor(random() * 256)),
    ];
    const pieces = await gzipChunks(chunks, 1);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(1 << 20);
    const unzipped = execFileSync('gzip', ['-dc'], { input: Buffer.concat(pieces), maxBuffer: 16 << 20 });
    expect(unzipped.equals(Buffer.concat(chunks))).toBe(true);
    // one gzip member, byte for byte what gzipSync makes of the joined chunks at the same level
    expect(Buffer.concat(pieces).equals(gzipSync(Buffer.concat(chunks), { level: 1 }))).toBe(true);
    // the noise is stored, not shrunk: the stream is at least its size
    expect(pieces.reduce((sum, p) => sum + p.length, 0)).toBeGreaterThan(2 << 20);
  });
});
