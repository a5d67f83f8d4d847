import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCaretLabelTable, readNiftiLabelTable } from '../../../main/labels/readNiftiLabelTable.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-niftiLabelTable-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A 4×4×2 uint8 NIfTI written by nibabel with `content` as a header extension of code `code`. */
function niftiWithExtension(name: string, content: string, code: number): string {
  const path = join(folder, name);
  const script = [
    'import sys, numpy as np, nibabel as nib',
    'i = nib.Nifti1Image(np.arange(32, dtype=np.uint8).reshape(4, 4, 2) % 3, np.eye(4))',
    'i.header.extensions.append(nib.nifti1.Nifti1Extension(int(sys.argv[3]), open(sys.argv[2], "rb").read()))',
    'nib.save(i, sys.argv[1])',
  ].join('\n');
  const contentFile = join(folder, `${name}.xml`);
  writeFileSync(contentFile, content);
  execFileSync('/usr/bin/python3', ['-c', script, path, contentFile, String(code)]);
  return path;
}

const caret = (labels: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><CaretExtension><VolumeInformation Index="0"><LabelTable>${labels}</LabelTable></VolumeInformation></CaretExtension>`;

describe('readNiftiLabelTable', () => {
  const table = caret(
    '<Label Key="0" Red="0" Green="0" Blue="0" Alpha="0"><![CDATA[???]]></Label>' +
      '<Label Key="1" Red="1.0" Green="0.5" Blue="0" Alpha="1"><![CDATA[Leber grün]]></Label>\n' +
      '<Label Key="2" Red="0" Green="0" Blue="1" Alpha="1">A &amp; B</Label>' +
      '<Label Key="3" Red="2" Green="0" Blue="1" Alpha="1">colour out of range</Label>' +
      '<Label Key="1" Red="0" Green="0" Blue="0" Alpha="1">again</Label>',
  );
  const expected = [
    { value: 1, name: 'Leber grün', colour: [255, 128, 0] },
    { value: 2, name: 'A & B', colour: [0, 0, 255] },
  ];

  it('reads a Caret label table from a .nii (Workbench code 30) and a .nii.gz (code 0, as TotalSegmentator writes)', async () => {
    expect(await readNiftiLabelTable(niftiWithExtension('caret.nii', table, 30))).toEqual(expected);
    expect(await readNiftiLabelTable(niftiWithExtension('caret.nii.gz', table, 0))).toEqual(expected);
  });

  it('gives [] for other extensions, missing files and damaged headers', async () => {
    expect(await readNiftiLabelTable(niftiWithExtension('json.nii.gz', '{"a": 1}', 44))).toEqual([]);
    expect(await readNiftiLabelTable(join(folder, 'absent.nii'))).toEqual([]);
    const damaged = join(folder, 'damaged.nii.gz');
    writeFileSync(damaged, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    expect(await readNiftiLabelTable(damaged)).toEqual([]);
  });

  it.skipIf(!hasSharedData)(`reads TotalSegmentator's 117 CT classes from its real map (${noSharedDataReason})`, async () => {
    const read = await readNiftiLabelTable(sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz'));
    expect(read).toHaveLength(117);
    expect(read[0]).toEqual({ value: 1, name: 'spleen', colour: [0, 255, 0] });
    expect(read[116]?.name).toBe('costal_cartilages');
  });

  it('stays linear on hostile XML: a megabyte of unclosed Label tags and CDATA sections', () => {
    const hostile = `<LabelTable>${'<Label Key="1" Red="1" Green="1" Blue="1"><![CDATA[x'.repeat(20_000)}</LabelTable>`;
    const started = performance.now();
    expect(parseCaretLabelTable(hostile)).toEqual([]);
    // A generous bound that only catches quadratic backtracking (which took minutes).
    expect(performance.now() - started).toBeLessThan(5000);
    expect(parseCaretLabelTable('<LabelTable>'.repeat(80_000))).toEqual([]);
  });
});
