import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDicomFiles } from '../../../main/dicom/findDicomFiles.js';

describe('findDicomFiles lists a folder in localeCompare order', () => {
  const root = mkdtempSync(join(tmpdir(), 'axial-find-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The names found in a new folder holding `names` (each file as many bytes as its index + 1). */
  async function listed(names: readonly string[]): Promise<{ names: string[]; sizes: number[] }> {
    const folder = mkdtempSync(join(root, 'case-'));
    names.forEach((name, i) => writeFileSync(join(folder, name), new Uint8Array(i + 1)));
    const found = await findDicomFiles(folder);
    return { names: found.map((f) => basename(f.path)), sizes: found.map((f) => f.size) };
  }

  it.each([
    ['a series named by numbers (sorted by code units)', ['CT0010.dcm', 'CT0002.dcm', 'CT0001.dcm', 'CT0100.dcm', 'CT0003.dcm']],
    ['names whose case differs (localeCompare puts a before B)', ['b.dcm', 'B2.dcm', 'a.dcm', 'A1.dcm', 'c.dcm']],
    ['punctuation, which localeCompare orders _ - . unlike code units', ['a_1', 'a-1', 'a.1', 'a1', 'a 1']],
    ['digits against letters and prefixes', ['IM10', 'IM9', 'IM', 'IMA', 'IM1']],
  ])('%s', async (_, names) => {
    const { names: found, sizes } = await listed(names);
    expect(found).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(sizes).toEqual(found.map((name) => names.indexOf(name) + 1));
  });

  it('leaves out hidden files and measurement sidecars, and walks sub-folders in place', async () => {
    const folder = mkdtempSync(join(root, 'nested-'));
    for (const name of ['.hidden', 'x.axial-measurements.json', 'b.dcm', 'a.dcm']) writeFileSync(join(folder, name), 'x');
    mkdirSync(join(folder, 'a2'));
    writeFileSync(join(folder, 'a2', 'inner.dcm'), 'xy');
    const found = await findDicomFiles(folder);
    expect(found.map((f) => f.path.slice(folder.length + 1))).toEqual(['a.dcm', join('a2', 'inner.dcm'), 'b.dcm']);
    expect(found.map((f) => f.size)).toEqual([1, 2, 1]);
  });
});
