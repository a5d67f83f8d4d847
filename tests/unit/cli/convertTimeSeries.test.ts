import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/CliIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { debianPython, runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

/**
 * `axial convert` of a 4D series writes one 4D NIfTI, as dcm2niix does: on a Siemens EPI mosaic
 * (makeSiemensMosaic.py, 3 time points) and on a repeated-position series (makeTimeSeries.py, 4 time
 * points, TR 2 s), both made at test time from the real ct-abdomen-j2k slices. nibabel reads both files:
 * dims, pixdim[4], units, every volume's voxels and the affine must agree.
 */
const hasDcm2niix = spawnSync('dcm2niix', ['-v'], { encoding: 'utf8' }).error === undefined;
const fixtures = join(repoRoot, 'tests', 'fixtures');

const compareScript = `
import json, sys
import nibabel as nib, numpy as np
from nibabel.orientations import io_orientation, ornt_transform, apply_orientation, inv_ornt_aff
ours, theirs = nib.load(sys.argv[1]), nib.load(sys.argv[2])
a, b = np.asanyarray(ours.dataobj).astype(np.float64), np.asanyarray(theirs.dataobj).astype(np.float64)
transform = ornt_transform(io_orientation(theirs.affine), io_orientation(ours.affine))
moved = np.stack([apply_orientation(b[..., t], transform) for t in range(b.shape[3])], axis=-1)
moved_affine = theirs.affine @ inv_ornt_aff(transform, b.shape[:3])
h = ours.header
print(json.dumps({'dim': [int(v) for v in h['dim'][:5]], 'theirDim': [int(v) for v in theirs.header['dim'][:5]],
  'pixdim4': float(h['pixdim'][4]), 'theirPixdim4': float(theirs.header['pixdim'][4]), 'units': list(h.get_xyzt_units()),
  'maxDiff': float(np.abs(moved - a).max()) if moved.shape == a.shape else None,
  'affineDiff': float(np.abs(moved_affine - ours.affine).max()),
  'volumeMeans': [float(a[..., t].mean()) for t in range(a.shape[3])]}))
`;

interface Compared {
  dim: number[];
  theirDim: number[];
  pixdim4: number;
  theirPixdim4: number;
  units: string[];
  maxDiff: number | null;
  affineDiff: number;
  volumeMeans: number[];
}

function quietIo(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line) };
}

describe.skipIf(!hasSharedData || !hasDcm2niix)(`axial convert of 4D series against dcm2niix (${noSharedDataReason})`, () => {
  let folder: string;
  const source = sharedData('dicom/ct-abdomen-j2k');

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'axial-convert-4d-'));
    execFileSync(debianPython, [join(fixtures, 'makeTimeSeries.py'), source, join(folder, 'fmri')], { cwd: fixtures, encoding: 'utf8' });
    execFileSync(debianPython, [join(fixtures, 'makeSiemensMosaic.py'), source, join(folder, 'mosaic'), 'csa'], { cwd: fixtures, encoding: 'utf8' });
  }, 120_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function dcm2niix(input: string, name: string): string {
    const out = join(folder, `dcm2niix-${name}`);
    mkdirSync(out);
    execFileSync('dcm2niix', ['-o', out, '-f', name, '-z', 'n', input], { encoding: 'utf8' });
    return join(
      out,
      readdirSync(out).find((file) => file.endsWith('.nii'))!,
    );
  }

  it('writes the repeated-position series as one 4D NIfTI: 512×512×12×4, pixdim[4] 2 s, mm + s, voxels and affine as dcm2niix', async () => {
    const output = join(folder, 'fmri.nii.gz');
    const io = quietIo();
    expect(await runCli(['convert', join(folder, 'fmri'), output, '--threads', '1'], io)).toBe(0);
    expect(io.lines.at(-1)).toContain('512×512×12×4');
    const result = runPythonJson<Compared>(compareScript, [output, dcm2niix(join(folder, 'fmri'), 'fmri')]);
    expect(result.dim).toEqual([4, 512, 512, 12, 4]);
    expect(result.theirDim).toEqual(result.dim);
    expect([result.pixdim4, result.theirPixdim4]).toEqual([2, 2]);
    expect(result.units).toEqual(['mm', 'sec']);
    expect(result.maxDiff).toBe(0);
    expect(result.affineDiff).toBeLessThan(1e-4);
    // The generator adds 100 per time point: the volumes come in time order.
    const steps = result.volumeMeans.slice(1).map((m, t) => m - result.volumeMeans[t]!);
    expect(steps).toEqual([100, 100, 100].map((v) => expect.closeTo(v, 6)));
  }, 120_000);

  it('writes the Siemens mosaic (3 time points) as one 4D NIfTI equal to dcm2niix’s', async () => {
    const output = join(folder, 'mosaic.nii');
    expect(await runCli(['convert', join(folder, 'mosaic'), output, '--threads', '1'], quietIo())).toBe(0);
    const result = runPythonJson<Compared>(compareScript, [output, dcm2niix(join(folder, 'mosaic'), 'mosaic')]);
    expect(result.dim[0]).toBe(4);
    expect(result.dim[4]).toBe(3);
    expect(result.theirDim).toEqual(result.dim);
    expect(result.maxDiff).toBe(0);
    expect(result.affineDiff).toBeLessThan(1e-4);
  }, 120_000);

  it('axial info says the time points and TR of the 4D series, and in --json', async () => {
    const io = quietIo();
    expect(await runCli(['info', join(folder, 'fmri'), '--threads', '1'], io)).toBe(0);
    expect(io.lines.join('\n')).toContain('dimensions   512 × 512 × 12 × 4 time points (TR 2 s)');
    const json = quietIo();
    expect(await runCli(['info', join(folder, 'fmri'), '--json', '--threads', '1'], json)).toBe(0);
    expect(JSON.parse(json.lines.join('\n'))).toMatchObject({ series: [{ dimensions: [512, 512, 12], timePoints: 4, repetitionTime: 2 }] });
  }, 120_000);

  it('--time-point t writes that one time point as a 3D volume; one past the last is a usage error', async () => {
    const output = join(folder, 't2.nii');
    expect(await runCli(['convert', join(folder, 'fmri'), output, '--time-point', '2', '--threads', '1'], quietIo())).toBe(0);
    const script = `
import json, sys
import nibabel as nib, numpy as np
a, b = nib.load(sys.argv[1]), nib.load(sys.argv[2])
print(json.dumps({'dim0': int(a.header['dim'][0]), 'diff': float(np.abs(np.asanyarray(a.dataobj) - np.asanyarray(b.dataobj)[..., 2]).max())}))`;
    const result = runPythonJson<{ dim0: number; diff: number }>(script, [output, join(folder, 'fmri.nii.gz')]);
    expect(result).toEqual({ dim0: 3, diff: 0 });
    const io = quietIo();
    expect(await runCli(['convert', join(folder, 'fmri'), join(folder, 't4.nii'), '--time-point', '4'], io)).toBe(2);
    expect(io.lines.join('\n')).toContain('has 4 time point(s), 0 to 3');
    expect(await runCli(['convert', join(folder, 'fmri'), join(folder, 'all.nrrd')], io)).toBe(2);
    expect(io.lines.join('\n')).toContain('4D .nii');
  }, 120_000);
});
