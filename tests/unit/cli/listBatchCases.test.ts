import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseName, listBatchCases, parseShard, shardCases } from '../../../main/cli/listBatchCases.js';
import { AxialError } from '../../../main/errors/AxialError.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-cases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('listBatchCases', () => {
  it('takes volume files and subfolders of a folder, sorted, leaving out hidden entries, other files and the output folder', async () => {
    const folder = join(scratch, 'folder');
    for (const dir of ['b-series', 'out', '.cache']) mkdirSync(join(folder, dir), { recursive: true });
    for (const file of ['c.nii.gz', 'a.nrrd', 'd.nii', 'readme.txt', '.hidden.nii', 'e.nhdr', 'e.raw']) writeFileSync(join(folder, file), '');
    const cases = await listBatchCases(folder, join(folder, 'out'));
    expect(cases.map((c) => c.name)).toEqual(['a', 'b-series', 'c', 'd', 'e']);
    expect(cases[2]!.input).toBe(join(folder, 'c.nii.gz'));
  });

  it('reads a list relative to its own folder, skipping blanks and comments, in sorted order whatever the list order', async () => {
    const list = join(scratch, 'list.txt');
    writeFileSync(list, '# header\n\nz/case3.nii.gz\n/data/case1.nii\r\n  y/case2  \n');
    const cases = await listBatchCases(list);
    expect(cases).toEqual([
      { name: 'case1', input: '/data/case1.nii' },
      { name: 'case2', input: join(scratch, 'y/case2') },
      { name: 'case3', input: join(scratch, 'z/case3.nii.gz') },
    ]);
  });

  it('refuses two cases that would write the same output', async () => {
    const list = join(scratch, 'dupes.txt');
    writeFileSync(list, 'a/ct.nii.gz\nb/ct.nrrd\n');
    await expect(listBatchCases(list)).rejects.toThrow(/same output "ct"/);
  });

  it('names cases without their volume extension', () => {
    expect(['x/ab.nii.gz', 'x/ab.NII', 'x/ab.nrrd', 'x/series/', 'x/a.b.c'].map(caseName)).toEqual(['ab', 'ab', 'ab', 'series', 'a.b.c']);
  });
});

describe('shards', () => {
  it('split the sorted cases round-robin: every case in exactly one shard', () => {
    const cases = Array.from({ length: 11 }, (_, n) => n);
    const shards = [1, 2, 3, 4].map((index) => shardCases(cases, parseShard(`${index}/4`)));
    expect(shards).toEqual([
      [0, 4, 8],
      [1, 5, 9],
      [2, 6, 10],
      [3, 7],
    ]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(cases);
  });

  it('parse i/n with 1 ≤ i ≤ n only', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    for (const bad of ['0/4', '5/4', '1', '1/0', 'a/b', '-1/2']) expect(() => parseShard(bad)).toThrow(AxialError);
  });
});
