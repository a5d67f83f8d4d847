import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InflateError, inflateInto, type InflateRange } from '../../../main/io/inflateInto.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-inflateInto-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** n bytes that differ from their neighbours, so a misplaced copy shows. */
const pattern = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

function write(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<InflateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InflateError);
  return error as InflateError;
}

const fixed = (range: InflateRange) => () => range;

describe('inflateInto', () => {
  it('keeps exactly the range asked for, across chunk boundaries, after a prefix in the file', async () => {
    const data = pattern(3 << 20);
    const path = write('range.gz', Buffer.concat([Buffer.from('prefix\n\n'), gzipSync(data)]));
    const offset = (1 << 20) - 5;
    const size = (1 << 20) + 17;
    const { bytes, header } = await inflateInto({ path, start: 8, headerBytes: 16, rangeFromHeader: fixed({ offset, size }) });
    expect(Buffer.from(bytes).equals(data.subarray(offset, offset + size))).toBe(true);
    expect(Buffer.from(header).equals(data.subarray(0, 16))).toBe(true);
  });

  it('hands the header to rangeFromHeader and fills the buffer allocate gives', async () => {
    const data = Buffer.concat([Buffer.from([8, 0, 0, 0]), Buffer.from(new Float32Array([1.5, -2, 3]).buffer)]);
    const path = write('sized.gz', gzipSync(data));
    let floats: Float32Array | undefined;
    await inflateInto({
      path,
      headerBytes: 4,
      rangeFromHeader: (head) => ({ offset: 4, size: head[0]! + 4 }),
      allocate: (size) => {
        floats = new Float32Array(size / 4);
        return new Uint8Array(floats.buffer);
      },
    });
    expect(Array.from(floats!)).toEqual([1.5, -2, 3]);
  });

  it('refuses a range the stream cannot hold before calling allocate', async () => {
    const path = write('small.gz', gzipSync(pattern(100)));
    let allocated = false;
    const error = await failure(
      inflateInto({
        path,
        headerBytes: 0,
        rangeFromHeader: fixed({ offset: 0, size: 2 ** 40 }),
        allocate: (n) => {
          allocated = true;
          return new Uint8Array(n);
        },
      }),
    );
    expect(error.reason).toBe('short');
    expect(error.message).toMatch(/needs 1099511627776 decompressed bytes; a gzip stream of \d+ bytes holds at most/);
    expect(allocated).toBe(false);
  });

  it('checks the CRC of a stream that ends just past the range, and stops on one that goes on', async () => {
    const data = pattern(4 << 20);
    const gz = gzipSync(data);
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6]! ^= 0xff;
    const whole = fixed({ offset: 0, size: data.length });
    expect((await failure(inflateInto({ path: write('crc.gz', badCrc), headerBytes: 0, rangeFromHeader: whole }))).reason).toBe('corrupt');
    const first = fixed({ offset: 0, size: 1 << 20 });
    const { bytes } = await inflateInto({ path: write('crc2.gz', badCrc), headerBytes: 0, rangeFromHeader: first });
    expect(Buffer.from(bytes).equals(data.subarray(0, 1 << 20))).toBe(true);
  });

  it('reports a stream that ends before the range as short, and a cut one too', async () => {
    const path = write('short.gz', gzipSync(pattern(50)));
    const error = await failure(inflateInto({ path, headerBytes: 0, rangeFromHeader: fixed({ offset: 0, size: 60 }) }));
    expect([error.reason, error.message]).toEqual(['short', 'decompressed 50 of 60 bytes']);
    const cut = write('cut.gz', gzipSync(pattern(5000)).subarray(0, 100));
    expect((await failure(inflateInto({ path: cut, headerBytes: 0, rangeFromHeader: fixed({ offset: 0, size: 5000 }) }))).reason).toBe('short');
  });

  it('keeps the range of a stream followed by bytes that are not gzip, as Teem does, the last output chunk included', async () => {
    // zlib's own gunzip takes the bytes for a second member and fails, dropping what the last write inflated: here
    // all 48 bytes (Node gave 0 of them).
    const data = pattern(48);
    const whole = fixed({ offset: 0, size: 48 });
    for (const [name, tail] of [
      ['newline', Buffer.from('\n')],
      ['garbage', Buffer.from('GARBAGE')],
    ] as const) {
      const { bytes } = await inflateInto({ path: write(`tail-${name}.gz`, Buffer.concat([gzipSync(data), tail])), headerBytes: 0, rangeFromHeader: whole });
      expect(Buffer.from(bytes).equals(data), name).toBe(true);
    }
  });

  it('reads a range across two gzip members, and refuses a stream that ends before the range whatever follows it', async () => {
    const data = pattern(5000);
    const twoMembers = Buffer.concat([gzipSync(data.subarray(0, 3000)), gzipSync(data.subarray(3000)), Buffer.from('\n')]);
    const { bytes } = await inflateInto({ path: write('members.gz', twoMembers), headerBytes: 0, rangeFromHeader: fixed({ offset: 2990, size: 20 }) });
    expect(Buffer.from(bytes).equals(data.subarray(2990, 3010))).toBe(true);
    const short = write('short-tail.gz', Buffer.concat([gzipSync(data.subarray(0, 100)), Buffer.from('GARBAGE')]));
    const error = await failure(inflateInto({ path: short, headerBytes: 0, rangeFromHeader: fixed({ offset: 0, size: 200 }) }));
    expect([error.reason, error.message]).toEqual(['short', 'decompressed 100 of 200 bytes']);
  });

  it("reads a gzip header's optional extra field, name, comment and header CRC (RFC 1952)", async () => {
    const data = pattern(1000);
    const head = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3]),
      Buffer.from([4, 0, 0x41, 0x50, 0, 0]), // FEXTRA: 4 bytes
      Buffer.from('scan.raw\0comment\0', 'latin1'),
    ]);
    const headerCrc = Buffer.alloc(2);
    headerCrc.writeUInt16LE(crc32(head) & 0xffff);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(data), 0);
    trailer.writeUInt32LE(data.length, 4);
    const gz = Buffer.concat([head, headerCrc, deflateRawSync(data), trailer]);
    expect(gunzipSync(gz).equals(data)).toBe(true);
    const { bytes } = await inflateInto({ path: write('flags.gz', gz), headerBytes: 0, rangeFromHeader: fixed({ offset: 0, size: 1000 }) });
    expect(Buffer.from(bytes).equals(data)).toBe(true);

    // The same member with its header CRC wrong (0x1234, as the review's fhcrc_bad.gz): zlib and gzip refuse it.
    const bad = Buffer.concat([head, Buffer.from([0x34, 0x12]), deflateRawSync(data), trailer]);
    expect(() => gunzipSync(bad)).toThrow(/header crc mismatch/);
    const error = await failure(inflateInto({ path: write('bad-fhcrc.gz', bad), headerBytes: 0, rangeFromHeader: fixed({ offset: 0, size: 1000 }) }));
    expect([error.reason, error.message]).toEqual(['corrupt', 'header crc mismatch']);
  });
});
