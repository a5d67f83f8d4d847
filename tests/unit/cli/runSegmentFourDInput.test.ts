import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/CliIo.js';
import { runSegment } from '../../../main/cli/runSegment.js';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { debianPython } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-segment-4d-'));
const quiet = { progress: { isTTY: false, write: () => true } };
const io: CliIo = { out: () => undefined, err: () => undefined };

/** The four sequences of makeMultiSequenceStudy.py's phantom on the T1c grid, stacked as the Decathlon stores brain MR: one 4D NIfTI. */
const stackScript = `import sys, numpy as np, nibabel as nib
sys.path.insert(0, sys.argv[1])
from makeMultiSequenceStudy import values, grid
c, ks = grid(48, 1.0)
x, y, z = np.meshgrid(c, c, ks, indexing="ij")
data = np.stack([values(s, x, y, z) for s in sys.argv[3].split(",")], axis=-1).astype(np.int16)
affine = np.diag([-1.0, -1.0, 2.0, 1.0]); affine[:3, 3] = [-c[0], -c[0], ks[0]]
nib.save(nib.Nifti1Image(data, affine), sys.argv[2])`;

describe('axial segment: a model of four images given one 4D file of four volumes', () => {
  let bundle: string;
  let voxels: Record<string, number>;
  const fixtures = join(repoRoot, 'tests', 'fixtures');
  const stack = (name: string, sequences: string): string => {
    const path = join(scratch, name);
    execFileSync(debianPython, ['-c', stackScript, fixtures, path, sequences]);
    return path;
  };

  beforeAll(() => {
    const out = execFileSync(debianPython, [join(fixtures, 'makeMultiSequenceStudy.py'), scratch], { encoding: 'utf8' })
      .trim()
      .split('\n');
    ({ bundle, voxels } = JSON.parse(out[out.length - 1]!) as { bundle: string; voxels: Record<string, number> });
  }, 60_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('takes its volumes as the channels, in order (as EnsureChannelFirstd does): the three regions exact', async () => {
    const input = stack('brain4d.nii.gz', 'T1c,T1,T2,FLAIR');
    const output = join(scratch, 'regions.nii.gz');
    const printed: string[] = [];
    expect(await runSegment(['--model', bundle, input, output, '--device', 'cpu', '--json'], { ...io, out: (l) => printed.push(l) }, quiet)).toBe(0);
    const summary = JSON.parse(printed.join('\n')) as CaseSummary;
    expect(summary.status).toBe('ok');
    const count = (file: string): number =>
      Number(
        execFileSync(debianPython, ['-c', 'import sys, numpy as np, nibabel as nib; print(int((np.asarray(nib.load(sys.argv[1]).dataobj) > 0).sum()))', file]),
      );
    expect(count(join(scratch, 'regions-tumor-core.nii.gz'))).toBe(voxels['Tumor core']);
    expect(count(join(scratch, 'regions-whole-tumor.nii.gz'))).toBe(voxels['Whole tumor']);
    expect(count(join(scratch, 'regions-enhancing-tumor.nii.gz'))).toBe(voxels['Enhancing tumor']);
    // In another order the channels are other sequences: the enhancing rim (from T1c, channel 0) is gone.
    const swapped = stack('swapped4d.nii.gz', 'T1,T1c,T2,FLAIR');
    const other = join(scratch, 'swapped.nii.gz');
    expect(await runSegment(['--model', bundle, swapped, other, '--device', 'cpu'], io, quiet)).toBe(0);
    expect(count(join(scratch, 'swapped-enhancing-tumor.nii.gz'))).toBe(0);
  }, 120_000);

  it('refuses a file of another volume count, naming --input and the 4D form', async () => {
    const input = stack('three.nii.gz', 'T1c,T1,T2');
    const error = await runSegment(['--model', bundle, input, join(scratch, 'x.nii.gz'), '--device', 'cpu'], io, quiet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('CLI_USAGE');
    expect((error as AxialError).message).toMatch(/--input NAME=PATH, or one 4D file of 4 volumes \(this input holds 3\)/);
  }, 60_000);
});
