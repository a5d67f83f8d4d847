import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBatchOutDir } from '../../../main/cli/makeBatchOutDir.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-out-dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('makeBatchOutDir', () => {
  const batch = join(scratch, 'batch');
  mkdirSync(batch);
  writeFileSync(join(batch, 'a.nii.gz'), '');

  it('makes the folder and those above it, and takes one that is there', async () => {
    const out = join(scratch, 'made', 'out');
    await makeBatchOutDir(out, batch);
    expect(statSync(out).isDirectory()).toBe(true);
    await expect(makeBatchOutDir(out, batch)).resolves.toBeUndefined();
  });

  it('refuses, as OUTPUT_WRITE_FAILED naming the folder in plain words, a folder that cannot be made', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    const dangling = join(scratch, 'dangling');
    symlinkSync(join(scratch, 'nowhere'), dangling);
    for (const [out, words] of [
      [file, 'something that is not a folder is already there (EEXIST)'],
      [join(file, 'sub'), 'part of its path is a file, not a folder (ENOTDIR)'],
      [dangling, 'part of its path is missing or a link to nothing (ENOENT)'],
    ] as const) {
      await expect(makeBatchOutDir(out, batch)).rejects.toMatchObject({
        code: 'OUTPUT_WRITE_FAILED',
        file: out,
        message: `${out}: cannot make the output folder (--out-dir): ${words}`,
      });
    }
    expect(existsSync(join(scratch, 'nowhere'))).toBe(false);
  });

  it('refuses the batch folder as its own --out-dir, by identity: its path, a symlink to it, another spelling', async () => {
    const link = join(scratch, 'batch-link');
    symlinkSync(batch, link);
    for (const out of [batch, link, `${batch}/./`, join(scratch, 'made', '..', 'batch')]) {
      await expect(makeBatchOutDir(out, batch)).rejects.toMatchObject({
        code: 'OUTPUT_IS_INPUT',
        message: `${out}: --out-dir is the batch folder ${batch}: its outputs would mix with its inputs; name another folder`,
      });
    }
    // A list batch may write beside its list.
    const list = join(batch, 'cases.txt');
    writeFileSync(list, 'a.nii.gz\n');
    await expect(makeBatchOutDir(batch, list)).resolves.toBeUndefined();
  });

  it("refuses a listed case's folder, or a folder inside it, as --out-dir, by identity; a case file's folder is fine", async () => {
    const list = join(scratch, 'cases.txt');
    const series = join(scratch, 'p1');
    mkdirSync(series);
    const link = join(scratch, 'p1-link');
    symlinkSync(series, link);
    const inputs = [join(scratch, 'a.nii.gz'), series];
    for (const [out, where] of [
      [series, 'is'],
      [link, 'is'],
      [join(link, 'labels'), 'is inside'],
      [join(series, 'a', 'b'), 'is inside'],
    ] as const) {
      await expect(makeBatchOutDir(out, list, inputs)).rejects.toMatchObject({
        code: 'OUTPUT_IS_INPUT',
        message: `${out}: --out-dir ${where} the case folder ${series}: its outputs would be read as part of that case; name another folder`,
      });
    }
    expect(existsSync(join(series, 'labels'))).toBe(false);
    // Beside the case folder, or above it, the outputs are not read with it.
    await expect(makeBatchOutDir(join(scratch, 'labels'), list, inputs)).resolves.toBeUndefined();
    await expect(makeBatchOutDir(scratch, list, inputs)).resolves.toBeUndefined();
  });
});
