import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SegmentDef } from '../../../core/contract.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { labelVolume } from '../../../main/segmentation/labelVolume.js';
import { writeMaskExport } from '../../../main/labels/writeMaskExport.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { debianPython, runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

interface Transforms {
  readonly qform: number[][];
  readonly sform: number[][];
  readonly codes: [number, number];
}

/** nibabel's reading of each file's qform and sform affines and their codes. */
const readTransforms = `
import sys, json, nibabel as nib
out = []
for path in sys.argv[1:]:
    h = nib.load(path).header
    out.append({'qform': h.get_qform().tolist(), 'sform': h.get_sform().tolist(), 'codes': [int(h['qform_code']), int(h['sform_code'])]})
print(json.dumps(out))
`;

/** Writes a file nibabel-style with its own qform and sform (codes `qcode`/`scode`) from `affine` (a JSON 4×4). */
const writeSource = `
import sys, json, numpy as np, nibabel as nib
a = np.array(json.loads(sys.argv[2]))
img = nib.Nifti1Image(np.arange(6 * 5 * 4, dtype=np.int16).reshape(6, 5, 4), a)
img.set_qform(a, code=int(sys.argv[3])); img.set_sform(a, code=int(sys.argv[4]))
nib.save(img, sys.argv[1])
`;

const scratch = mkdtempSync(join(tmpdir(), 'axial-source-qform-'));

/** A label map of the source as the CLI writes one: labelVolume's volume, sent across the process boundary as plain props. */
async function writeLabelsOf(source: string, output: string): Promise<void> {
  const { volume } = await readNifti(source);
  const labels = labelVolume(volume, new Uint8Array(volume.voxels.length).fill(1), 'test');
  await writeNifti(createVolume(structuredClone({ ...labels, voxels: labels.voxels })), output, { intent: 'label' });
}

function expectSameTransforms(source: string, output: string): void {
  const [input, written] = runPythonJson<[Transforms, Transforms]>(readTransforms, [source, output]);
  for (const key of ['qform', 'sform'] as const) {
    const worst = Math.max(...input![key].flatMap((row, r) => row.map((v, c) => Math.abs(v - written![key][r]![c]!))));
    expect(worst, key).toBeLessThan(1e-5);
  }
  expect(written!.codes).toEqual(input!.codes);
}

describe("writeNifti carries a NIfTI source's qform and codes onto outputs on its grid", () => {
  it.skipIf(!hasSharedData)(`keeps niivue's shear.nii.gz qform (31.8 mm from its sform's rigid part) and codes 2/2 — ${noSharedDataReason}`, async () => {
    const source = sharedData('nifti/niivue/shear.nii.gz');
    const output = join(scratch, 'shear-labels.nii.gz');
    await writeLabelsOf(source, output);
    expectSameTransforms(source, output);
  });

  it.skipIf(!hasSharedData)(`keeps it in the app's NIfTI export of a segmentation of shear.nii.gz too — ${noSharedDataReason}`, async () => {
    const source = sharedData('nifti/niivue/shear.nii.gz');
    const output = join(scratch, 'shear-export.nii.gz');
    const { volume } = await readNifti(source);
    const segment: SegmentDef = { layer: 0, value: 1, name: 'all', colour: [1, 2, 3], algorithmType: 'MANUAL', locked: false };
    const series = { files: [source] } as unknown as Parameters<typeof writeMaskExport>[0]['series'];
    const layers = [new Uint8Array(volume.voxels.length).fill(1)];
    await writeMaskExport({ format: 'nifti', path: output, volume, series, name: 'shear segmentation', layers, segments: [segment], inputs: [source] });
    expectSameTransforms(source, output);
  });

  it.each([
    [
      'a plain RAS file, codes 1/2',
      [
        [0.9, 0, 0, -10],
        [0, 1.1, 0, 12],
        [0, 0, 2.5, -30],
        [0, 0, 0, 1],
      ],
      1,
      2,
    ],
    [
      'a flipped (qfac −1) oblique file, codes 4/3',
      [
        [-0.8, 0.2, 0, 5],
        [0.1, 0.9, 0.3, 2],
        [0, -0.25, 1.9, 7],
        [0, 0, 0, 1],
      ],
      4,
      3,
    ],
  ])('keeps the qform and codes of %s', async (name, affine, qformCode, sformCode) => {
    const source = join(scratch, `${name.replace(/\W+/g, '-')}.nii`);
    execFileSync(debianPython, ['-c', writeSource, source, JSON.stringify(affine), String(qformCode), String(sformCode)]);
    const output = join(scratch, `${name.replace(/\W+/g, '-')}-labels.nii.gz`);
    await writeLabelsOf(source, output);
    expectSameTransforms(source, output);
  });

  it('writes its own qform, codes 1/1, for a volume moved off the source grid', async () => {
    const source = join(scratch, 'moved.nii');
    execFileSync(debianPython, [
      '-c',
      writeSource,
      source,
      JSON.stringify([
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ]),
      '2',
      '2',
    ]);
    const { volume } = await readNifti(source);
    const moved = createVolume({ ...volume, origin: [volume.origin[0] + 5, volume.origin[1], volume.origin[2]] });
    const output = join(scratch, 'moved-out.nii');
    await writeNifti(moved, output);
    const [, written] = runPythonJson<[Transforms, Transforms]>(readTransforms, [source, output]);
    expect(written!.codes).toEqual([1, 1]);
    // RAS x is LPS x negated: the volume moved 5 mm towards L, and both transforms say so.
    expect(written!.qform[0]![3]).toBeCloseTo(-5, 5);
    expect(written!.sform[0]![3]).toBeCloseTo(-5, 5);
  });
});
