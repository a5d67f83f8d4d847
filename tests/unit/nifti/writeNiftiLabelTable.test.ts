import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/runCli.js';
import { readNiftiLabelTable } from '../../../main/labels/readNiftiLabelTable.js';
import { captureIo } from '../../captureIo.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { tinyVolume } from '../../tinyVolume.js';

/**
 * A label map written with `labelTable` carries it as a Caret XML extension (code 30), the table TotalSegmentator
 * writes into its label maps: TotalSegmentator's example_seg.nii.gz rewritten keeps its 117 names and colours, and
 * nibabel sees the extension and the voxels. Without a table the header stays extension-free (vox_offset 352).
 */
const folder = mkdtempSync(join(tmpdir(), 'axial-nifti-labels-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const extensionsScript = `
import sys, json, nibabel as nib, numpy as np
img = nib.load(sys.argv[1])
data = np.asanyarray(img.dataobj)
exts = [{"code": int(e.get_code()), "text": e.get_content().decode("utf-8", "replace")} for e in img.header.extensions]
print(json.dumps({"offset": int(img.dataobj.offset), "extensions": exts, "sum": int(data.astype(np.int64).sum()), "shape": list(data.shape)}))`;

interface Seen {
  offset: number;
  extensions: { code: number; text: string }[];
  sum: number;
  shape: number[];
}

describe.skipIf(!hasSharedData)(`writeNifti's label table (${noSharedDataReason})`, () => {
  const source = sharedData('nifti/totalseg/example_seg.nii.gz');

  it.each(['labels.nii.gz', 'labels.nii'])("keeps example_seg's 117 label names and colours in %s", async (name) => {
    const table = await readNiftiLabelTable(source);
    expect(table).toHaveLength(117);
    const { volume } = await readNifti(source);
    const output = join(folder, name);
    await writeNifti(volume, output, { labelTable: table });
    expect(await readNiftiLabelTable(output)).toEqual(table);
    const seen = runPythonJson<Seen>(extensionsScript, [output]);
    const original = runPythonJson<Seen>(extensionsScript, [source]);
    expect(seen.shape).toEqual([122, 101, 30]);
    expect(seen.sum).toBe(original.sum);
    expect(seen.extensions.map((e) => e.code)).toEqual([30]);
    expect(seen.extensions[0]!.text).toContain('<Label Key="1" Red="0" Green="1" Blue="0" Alpha="1">spleen</Label>');
    expect(seen.extensions[0]!.text).toContain('<Label Key="5" Red="0" Green="1" Blue="1" Alpha="1">liver</Label>');
    expect(seen.offset % 16).toBe(0);
  });

  it('axial convert keeps the table and marks the output a label map (intent 1002, as Workbench needs to read it as labels)', async () => {
    const output = join(folder, 'converted.nii.gz');
    expect(await runCli(['convert', source, output], captureIo())).toBe(0);
    const script = [
      'import sys, json, nibabel as nib',
      'h = nib.load(sys.argv[1]).header',
      'print(json.dumps({"intent": int(h["intent_code"]), "codes": [int(e.get_code()) for e in h.extensions]}))',
    ].join('\n');
    const seen = runPythonJson<{ intent: number; codes: number[] }>(script, [output]);
    expect(seen).toEqual({ intent: 1002, codes: [30] });
  });
});

describe('writeNifti without a label table', () => {
  it('writes no extension: the voxels start at byte 352', async () => {
    const output = join(folder, 'plain.nii');
    await writeNifti(tinyVolume([2, 2, 2]), output);
    const seen = runPythonJson<Seen>(extensionsScript, [output]);
    expect(seen.offset).toBe(352);
    expect(seen.extensions).toEqual([]);
  });

  it('escapes XML in names: "a&b <c>" is read back as written', async () => {
    const output = join(folder, 'escaped.nii');
    const labelTable = [{ value: 3, name: "a&b <c> 'd'", colour: [255, 128, 0] as const }];
    await writeNifti(tinyVolume([2, 2, 2], new Int16Array(8).fill(3)), output, { labelTable });
    expect(await readNiftiLabelTable(output)).toEqual([{ value: 3, name: "a&b <c> 'd'", colour: [255, 128, 0] }]);
  });
});
