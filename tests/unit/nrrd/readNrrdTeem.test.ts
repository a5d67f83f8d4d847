import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-readNrrdTeem-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function nrrdFile(name: string, header: string[], data: Uint8Array = new Uint8Array(0)): string {
  const path = join(folder, name);
  writeFileSync(path, Buffer.concat([Buffer.from(header.join('\n') + '\n\n', 'latin1'), data]));
  return path;
}

/** 2×3×4 little-endian int16 voxels 0…23. */
const values = Array.from({ length: 24 }, (_, n) => n);
const ramp = Buffer.from(new Int16Array(values).buffer);
const gzipHeader = ['NRRD0004', 'type: short', 'dimension: 3', 'sizes: 2 3 4', 'endian: little', 'encoding: gzip'];

describe('readNrrd on gzip data followed by other bytes, as Teem reads it', () => {
  // teem-unu save -e ascii prints 0 1 2 … 23 for the first three: Teem stops once it has the voxels it needs.
  it.each([
    ['a newline', Buffer.from('\n')],
    ['garbage', Buffer.from('GARBAGE'.repeat(10))],
    ['zero padding', Buffer.alloc(512)],
    // Teem refuses these two (_nrrdGzRead: data read error): it looks at the next member's header. The voxels and the
    // CRC that covers them are complete before it, so Axial reads them.
    ['a cut gzip member header', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2])],
    ['a gzip member header that is not deflate', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('GARBAGE'.repeat(3))])],
  ])('reads the voxels of a stream followed by %s', async (name, tail) => {
    const path = nrrdFile(`tail-${name.replace(/\W+/g, '-')}.nrrd`, gzipHeader, Buffer.concat([gzipSync(ramp), tail]));
    const { volume } = await readNrrd(path);
    expect(Array.from(volume.voxels)).toEqual(values);
  });

  // teem-unu prints 0 1 2 … 23 for the first, and ends … 44 45 46 (n % 251 at voxel 128³ − 1) for the second.
  it('reads a stream of two members followed by a newline, and a 2 MiB one followed by a newline', async () => {
    const twoMembers = Buffer.concat([gzipSync(ramp.subarray(0, 20)), gzipSync(ramp.subarray(20)), Buffer.from('\n')]);
    expect(Array.from((await readNrrd(nrrdFile('members.nrrd', gzipHeader, twoMembers))).volume.voxels)).toEqual(values);
    // 128³ bytes, n % 251 at voxel n: past the megabyte that the stream is read beyond what it needs.
    const big = Buffer.from(Array.from({ length: 128 ** 3 }, (_, n) => n % 251));
    const header = ['NRRD0004', 'type: uchar', 'dimension: 3', 'sizes: 128 128 128', 'encoding: gzip'];
    const { volume } = await readNrrd(nrrdFile('big-tail.nrrd', header, Buffer.concat([gzipSync(big), Buffer.from('\n')])));
    expect(volume.voxels[0]).toBe(0);
    expect(volume.voxels[128 ** 3 - 1]).toBe((128 ** 3 - 1) % 251);
    expect(Buffer.from(volume.voxels.buffer).equals(big)).toBe(true);
  });

  it('still refuses a stream that ends before the voxels, or whose CRC is wrong, whatever follows', async () => {
    const short = Buffer.concat([gzipSync(ramp.subarray(0, 40)), Buffer.from('\n')]);
    await expect(readNrrd(nrrdFile('short-tail.nrrd', gzipHeader, short))).rejects.toMatchObject({
      code: 'NRRD_TRUNCATED',
      message: expect.stringMatching(/decompressed 40 of 48 bytes/),
    });
    const badCrc = gzipSync(ramp);
    badCrc[badCrc.length - 6]! ^= 0xff; // inside the CRC-32 of the gzip trailer
    await expect(readNrrd(nrrdFile('crc-tail.nrrd', gzipHeader, Buffer.concat([badCrc, Buffer.from('\n')])))).rejects.toMatchObject({
      code: 'NRRD_CORRUPT_COMPRESSION',
      message: expect.stringMatching(/incorrect data check/),
    });
  });
});

describe('readNrrd byte skip on ascii data, as Teem applies it', () => {
  const ascii = ['NRRD0004', 'type: short', 'dimension: 3', 'sizes: 2 3 1', 'encoding: ascii'];

  it('skips that many bytes after the header before the first value', async () => {
    // teem-unu save -e ascii on this file prints 8 1 2 3 4 5: the 4 bytes '99 9' are skipped.
    const path = nrrdFile('ascii-skip.nrrd', [...ascii, 'byte skip: 4'], Buffer.from('99 98 1 2 3 4 5 6\n'));
    expect(Array.from((await readNrrd(path)).volume.voxels)).toEqual([8, 1, 2, 3, 4, 5]);
  });

  it('skips them after the skipped lines of a detached data file', async () => {
    // teem-unu save -e ascii on this header prints 0 20 30 40 50 60: two lines, then 'XY 1'.
    writeFileSync(join(folder, 'ascii.txt'), 'junk line\nsecond 7 7\nXY 10 20 30 40 50 60 70\n');
    const path = join(folder, 'ascii-skip.nhdr');
    writeFileSync(path, [...ascii, 'data file: ascii.txt', 'line skip: 2', 'byte skip: 4', ''].join('\n'));
    expect(Array.from((await readNrrd(path)).volume.voxels)).toEqual([0, 20, 30, 40, 50, 60]);
  });
});
