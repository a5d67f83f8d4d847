import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseGzipHeader } from '../../../main/io/parseGzipHeader.js';

/** A member header with every optional field: FHCRC (2), FEXTRA (4), FNAME (8), FCOMMENT (16), then its CRC16. */
function fullHeader(crc16?: number): Buffer {
  const head = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 0xff]), // magic, deflate, flags, mtime, XFL, OS
    Buffer.from([4, 0, 0x41, 0x42, 0, 0]), // XLEN 4: one empty subfield 'AB'
    Buffer.from('vol.nii\0comment\0', 'latin1'),
  ]);
  const check = Buffer.alloc(2);
  check.writeUInt16LE(crc16 ?? crc32(head) & 0xffff);
  return Buffer.concat([head, check]);
}

describe('parseGzipHeader', () => {
  it('reads the length of a header with every optional field and a matching header CRC', () => {
    expect(parseGzipHeader(Buffer.concat([fullHeader(), Buffer.from([3, 0])]))).toEqual({ ok: true, length: 34 });
  });

  it('refuses a header CRC that does not match, as zlib and gzip do (header crc mismatch)', () => {
    const header = Buffer.from([0x1f, 0x8b, 8, 2, 0, 0, 0, 0, 0, 0xff, 0x34, 0x12]); // FHCRC 0x1234; the CRC16 is 0xc990
    expect(crc32(header.subarray(0, 10)) & 0xffff).toBe(0xc990);
    expect(parseGzipHeader(header)).toEqual({ ok: false, problem: 'corrupt', message: 'header crc mismatch' });
    expect(parseGzipHeader(fullHeader(0x1234))).toMatchObject({ ok: false, problem: 'corrupt' });
  });

  it('asks for more bytes when they end inside the header CRC', () => {
    expect(parseGzipHeader(fullHeader().subarray(0, 33))).toMatchObject({ ok: false, problem: 'short' });
  });
});
