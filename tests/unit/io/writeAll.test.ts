import { describe, expect, it } from 'vitest';
import { writeAll } from '../../../main/io/writeAll.js';

/** A file handle whose writes take at most `takes[n]` bytes on the n-th call (then 0): a disk filling up. */
function fillingHandle(takes: readonly number[]) {
  const calls: { offset: number; length: number }[] = [];
  const written: number[] = [];
  return {
    calls,
    written,
    write: (bytes: Uint8Array, offset: number, length: number) => {
      const taken = Math.min(length, takes[calls.length] ?? 0);
      calls.push({ offset, length });
      written.push(...bytes.subarray(offset, offset + taken));
      return Promise.resolve({ bytesWritten: taken, buffer: bytes });
    },
  };
}

describe('writeAll', () => {
  const bytes = Uint8Array.from({ length: 10 }, (_, n) => n);

  it('writes on after a write that took part of the buffer, in pieces no longer than asked', async () => {
    const handle = fillingHandle([3, 4, 4]);
    await writeAll(handle as never, bytes, 4);
    expect(handle.calls).toEqual([
      { offset: 0, length: 4 },
      { offset: 3, length: 4 },
      { offset: 7, length: 3 },
    ]);
    expect(handle.written).toEqual([...bytes]);
  });

  it('calls a write that takes nothing a full disk, not a whole file', async () => {
    const handle = fillingHandle([6]);
    await expect(writeAll(handle as never, bytes)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(handle.written).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
