import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNrrd } from '../../../main/nrrd/readNrrd.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-readNrrdAscii-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function asciiNrrd(name: string, sizes: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, `NRRD0004\ntype: float\ndimension: 3\nsizes: ${sizes}\nencoding: ascii\n\n${text}`, 'latin1');
  return path;
}

describe('readNrrdAscii (through readNrrd)', () => {
  it('reads values that straddle the 64 KiB chunks, with mixed separators, and ignores what follows', async () => {
    // Widths 1 to 13 characters put a value across every chunk boundary somewhere.
    const values = Array.from({ length: 30_000 }, (_, i) => (i % 13 === 0 ? -i - 0.5 : i * 1.25 + 1e-3 * (i % 7)));
    const text = values.map((v, i) => `${v}${i % 5 === 0 ? ',\n' : i % 3 === 0 ? '\t' : '  '}`).join('') + 'trailing words';
    const { volume } = await readNrrd(asciiNrrd('chunks.nrrd', '100 30 10', text));
    expect(Array.from(volume.voxels)).toEqual(values.map((v) => Math.fround(v)));
  });

  it('reads nan, and names a value that is not a number', async () => {
    const { volume } = await readNrrd(asciiNrrd('nan.nrrd', '1 1 2', 'NaN 2'));
    expect(Array.from(volume.voxels)).toEqual([Number.NaN, 2]);
    await expect(readNrrd(asciiNrrd('word.nrrd', '1 1 2', '1 two'))).rejects.toMatchObject({
      code: 'NRRD_BAD_HEADER',
      message: expect.stringMatching(/ascii value 'two' is not a number/),
    });
  });

  it('refuses a run of 1 KiB without a separator, and too few values', async () => {
    await expect(readNrrd(asciiNrrd('long.nrrd', '1 1 2', '1'.repeat(100_000)))).rejects.toMatchObject({ code: 'NRRD_BAD_HEADER' });
    // Bytes enough for 8 values (15), but 3 of them.
    await expect(readNrrd(asciiNrrd('few.nrrd', '2 2 2', '1 2 3' + ' '.repeat(20)))).rejects.toMatchObject({
      code: 'NRRD_TRUNCATED',
      message: expect.stringMatching(/3 of 8 ascii values/),
    });
  });

  it('refuses at once, unallocated, a value count the bytes cannot hold (two bytes a value, but the last)', async () => {
    // 1024×1024×16 float32 is 64 MiB to allocate; 5 bytes hold 3 values at most.
    await expect(readNrrd(asciiNrrd('claim.nrrd', '1024 1024 16', '1 2 3'))).rejects.toMatchObject({
      code: 'NRRD_TRUNCATED',
      message: expect.stringMatching(/claim\.nrrd: data ends early: 5 bytes of ascii data cannot hold 16777216 values$/),
    });
    // 2·8 − 1 = 15 bytes can hold 8 one-digit values: read.
    const { volume } = await readNrrd(asciiNrrd('fits.nrrd', '2 2 2', '1 2 3 4 5 6 7 8'));
    expect(Array.from(volume.voxels)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
