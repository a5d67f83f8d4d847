import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readNiftiTimeAxis } from '../../../main/input/readNiftiTimeAxis.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-nifti-count-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An 8×8×4 int16 volume × 5 time points, written by nibabel. */
function fourD(): string {
  const path = join(scratch, 'fmri.nii');
  execFileSync('/usr/bin/python3', [
    '-c',
    'import sys, numpy as np, nibabel as nib; nib.save(nib.Nifti1Image(np.zeros((8, 8, 4, 5), np.int16), np.eye(4)), sys.argv[1])',
    path,
  ]);
  return path;
}

const count = async (path: string): Promise<number> => (await readNiftiTimeAxis(path, statSync(path).size)).timePoints;

describe('readNiftiTimeAxis: how many volumes a NIfTI holds', () => {
  it('counts the time points of a 4D file, plain and gzipped', async () => {
    const path = fourD();
    expect(await count(path)).toBe(5);
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    expect(await count(`${path}.gz`)).toBe(5);
  });

  it('never claims more time points than the bytes can hold (a header saying a million)', async () => {
    const bytes = readFileSync(fourD());
    // dim[4] is the int16 at byte 48 of a NIfTI-1 header.
    new DataView(bytes.buffer, bytes.byteOffset).setInt16(48, 30_000, true);
    const plain = join(scratch, 'liar.nii');
    writeFileSync(plain, bytes);
    expect(await count(plain)).toBe(5);
    const gzipped = join(scratch, 'liar.nii.gz');
    writeFileSync(gzipped, gzipSync(bytes));
    // Deflate expands at most 1032-fold: the file's size bounds what it can hold.
    const bound = Math.floor((statSync(gzipped).size * 1032) / (8 * 8 * 4 * 2));
    expect(await count(gzipped)).toBe(Math.min(30_000, bound));
  });

  it('says 1 for what it cannot read (loading the file says why)', async () => {
    const junk = join(scratch, 'junk.nii.gz');
    writeFileSync(junk, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(await count(junk)).toBe(1);
  });
});
