import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('leaves out the output folder reached through a symlink, the same before and after it is made (shards agree)', async () => {
    const folder = join(scratch, 'linked');
    mkdirSync(join(folder, 'series'), { recursive: true });
    writeFileSync(join(folder, 'a.nii.gz'), '');
    const link = join(scratch, 'linked-link');
    symlinkSync(folder, link);
    const names = async (): Promise<string[]> => (await listBatchCases(folder, join(link, 'out'))).map((c) => c.name);
    const before = await names();
    mkdirSync(join(folder, 'out'));
    expect(await names()).toEqual(before);
    expect(before).toEqual(['a', 'series']);
  });

  it('refuses an output folder that is one of its cases (it holds a scan), however reached, and takes one of outputs only', async () => {
    const folder = join(scratch, 'case-as-out');
    mkdirSync(join(folder, 'caseA'), { recursive: true });
    writeFileSync(join(folder, 'a.nii.gz'), '');
    // An earlier run's outputs, as they are: a case's labels, its layer, its .axial.json, the summary, a hidden temp file.
    for (const file of ['a.nii.gz', 'a-liver.nii.gz', 'a.axial.json', 'axial-summary.json', '.a.nii.gz.tmp']) writeFileSync(join(folder, 'caseA', file), '');
    const link = join(scratch, 'case-as-out-link');
    symlinkSync(join(folder, 'caseA'), link);
    expect((await listBatchCases(folder, link)).map((c) => c.name)).toEqual(['a']);
    for (const scan of ['scan.nii.gz', 'IM0001', 'b.nii.gz']) {
      writeFileSync(join(folder, 'caseA', scan), '');
      await expect(listBatchCases(folder, link)).rejects.toMatchObject({
        code: 'OUTPUT_IS_INPUT',
        message:
          `${link}: --out-dir is the case folder ${join(folder, 'caseA')} (it holds ${scan}, not one of Axial's outputs): ` +
          'that case would be left out and the outputs written beside its scan; name another folder',
      });
      rmSync(join(folder, 'caseA', scan));
    }
    mkdirSync(join(folder, 'caseA', 'series'));
    await expect(listBatchCases(folder, link)).rejects.toMatchObject({ code: 'OUTPUT_IS_INPUT', message: /it holds series, not one of Axial's outputs/ });
  });

  it("takes an output folder inside the batch that a stopped run left without a case's .axial.json (judged by case names)", async () => {
    const folder = join(scratch, 'interrupted');
    mkdirSync(join(folder, 'labels'), { recursive: true });
    for (const file of ['a.nii.gz', 'b.nii.gz']) writeFileSync(join(folder, file), '');
    // Killed (SIGTERM, Slurm's --time) after b's label map and a layer, before its .axial.json.
    for (const file of ['a.nii.gz', 'a.axial.json', 'b.nii.gz', 'b-liver.nii.gz', 'axial-summary.json']) writeFileSync(join(folder, 'labels', file), '');
    expect((await listBatchCases(folder, join(folder, 'labels'))).map((c) => c.name)).toEqual(['a', 'b']);
    // A .axial.json of no case of this batch is no output of it.
    writeFileSync(join(folder, 'labels', 'c.axial.json'), '');
    await expect(listBatchCases(folder, join(folder, 'labels'))).rejects.toMatchObject({ code: 'OUTPUT_IS_INPUT', message: /it holds c\.axial\.json/ });
  });

  it('refuses a text list line whose case name is empty or hidden, naming the list and the line', async () => {
    const list = join(scratch, 'hidden.txt');
    for (const [lines, where, problem] of [
      ['a.nii.gz\nsp/.hid.nii.gz\n', 'line 2', '".hid" starts with "."'],
      ['# the whole disk\n\n/\n', 'line 3', '"" is empty'],
    ]) {
      writeFileSync(list, lines!);
      await expect(listBatchCases(list)).rejects.toMatchObject({
        code: 'CLI_USAGE',
        message: `${list}: ${where}: the case name ${problem}; it names files inside --out-dir`,
      });
    }
    // A name taken from a file's path is a file name here already: only an empty or hidden one is refused.
    writeFileSync(list, 'c/con.nii\nscan 10:30.nii.gz\n');
    expect((await listBatchCases(list)).map((c) => c.name)).toEqual(['con', 'scan 10:30']);
    // A CSV or JSON case named by its first channel's path follows the same rules.
    const csv = join(scratch, 'hidden.csv');
    writeFileSync(csv, 't1,t2\nx/.t1.nii.gz,x/t2.nii.gz\n');
    await expect(listBatchCases(csv)).rejects.toMatchObject({
      code: 'CLI_USAGE',
      message: `${csv}: line 2: the case name ".t1" starts with "."; it names files inside --out-dir`,
    });
  });

  it('refuses two cases whose names differ only in letter case, without a word on layers', async () => {
    const list = join(scratch, 'letter-case.txt');
    writeFileSync(list, 'a/CT.nii.gz\nb/ct.nrrd\n');
    await expect(listBatchCases(list)).rejects.toMatchObject({
      code: 'CLI_USAGE',
      message:
        `${list}: cases "CT" and "ct" would write the same output on macOS and Windows, which ignore letter case in file names: ` +
        `${join(scratch, 'a/CT.nii.gz')} and ${join(scratch, 'b/ct.nrrd')}`,
    });
  });

  it('refuses two cases whose names differ only in Unicode normalisation (NFC and NFD), one file name on macOS', async () => {
    const list = join(scratch, 'normalisation.txt');
    writeFileSync(list, 'a/caf\u00e9.nii.gz\nb/cafe\u0301.nrrd\n');
    await expect(listBatchCases(list)).rejects.toMatchObject({
      code: 'CLI_USAGE',
      // In code-point order "cafe\u0301" (e, U+0065) comes before "caf\u00e9" (U+00E9).
      message:
        `${list}: cases "cafe\u0301" and "caf\u00e9" would write the same output on macOS, which takes their Unicode forms (NFC and NFD) ` +
        `for one file name: ${join(scratch, 'b/cafe\u0301.nrrd')} and ${join(scratch, 'a/caf\u00e9.nii.gz')}`,
    });
    // Letter case and normalisation together.
    writeFileSync(list, 'a/CAF\u00c9.nii.gz\nb/cafe\u0301.nrrd\n');
    await expect(listBatchCases(list)).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });

  it('sorts by code points, as Python does: "Ａ" (U+FF21) before "😀" (U+1F600)', async () => {
    const list = join(scratch, 'code-points.txt');
    writeFileSync(list, '\u{1F600}.nii.gz\n\uFF21.nii.gz\nz.nii.gz\n');
    expect((await listBatchCases(list)).map((c) => c.name)).toEqual(['z', '\uFF21', '\u{1F600}']);
  });

  it('refuses a folder entry whose case name is too long, naming the folder, before anything runs', async () => {
    const folder = join(scratch, 'long');
    mkdirSync(folder);
    writeFileSync(join(folder, `${'L'.repeat(245)}.nii`), '');
    writeFileSync(join(folder, 'a.nii.gz'), '');
    await expect(listBatchCases(folder)).rejects.toMatchObject({
      code: 'CLI_USAGE',
      message: `${folder}: in the batch folder: the case name "${'L'.repeat(64)}" is 245 characters long (at most 128); it names files inside --out-dir`,
    });
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
