import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput, type InputScan } from '../../../main/input/scanInput.js';
import { measurementVolumeKey } from '../../../main/measurements/measurementVolumeKey.js';
import { debianPython, runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

/**
 * A 4D fMRI-like series (makeTimeSeries.py: 12 real ct-abdomen-j2k slices repeated at 4 time points,
 * values + 100 per time point, TR 2 s) and a two-echo one, made at test time. The 4D series is one
 * scan entry whose time points each equal dcm2niix's 4D NIfTI volume t; the echoes stay two entries.
 */
const generator = join(repoRoot, 'tests', 'fixtures', 'makeTimeSeries.py');
const hasDcm2niix = spawnSync('dcm2niix', ['-v'], { encoding: 'utf8' }).error === undefined;

/** Puts dcm2niix's volume t on our voxel grid (nibabel's orientation transform) and compares voxels and affines. */
const compareScript = `
import json, sys
import nibabel as nib, numpy as np
from nibabel.orientations import io_orientation, ornt_transform, apply_orientation
nii, raw, dims, affine, t = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), np.array(json.loads(sys.argv[4])), int(sys.argv[5])
img = nib.load(nii)
theirs = np.asanyarray(img.dataobj)[..., t].astype(np.float64)
ours = np.fromfile(raw, dtype='<u2').reshape(dims[::-1]).transpose(2, 1, 0).astype(np.float64)
transform = ornt_transform(io_orientation(img.affine), io_orientation(affine))
moved = apply_orientation(theirs, transform)
moved_affine = img.affine @ nib.orientations.inv_ornt_aff(transform, theirs.shape)
print(json.dumps({'dim4': int(img.header['dim'][4]), 'dim0': int(img.header['dim'][0]), 'shape': list(moved.shape),
  'maxDiff': float(np.abs(moved - ours).max()), 'affineDiff': float(np.abs(moved_affine - affine).max()), 'mean': float(ours.mean())}))
`;

describe.skipIf(!hasSharedData)(`4D and multi-echo series made from a real CT series (${noSharedDataReason})`, () => {
  let folder: string;
  let fmri: InputScan;
  let echoes: InputScan;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'axial-time-series-'));
    const source = sharedData('dicom/ct-abdomen-j2k');
    execFileSync(debianPython, [generator, source, join(folder, 'fmri')], { encoding: 'utf8', cwd: join(repoRoot, 'tests', 'fixtures') });
    execFileSync(debianPython, [generator, source, join(folder, 'echoes'), '--echoes'], { encoding: 'utf8', cwd: join(repoRoot, 'tests', 'fixtures') });
    fmri = await scanInput(join(folder, 'fmri'), { threads: 1 });
    echoes = await scanInput(join(folder, 'echoes'), { threads: 1 });
  }, 120_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('offers 4 time points × 12 slices as ONE entry with its picker facts', () => {
    expect(fmri.series).toHaveLength(1);
    const [series] = fmri.series;
    expect(series).toMatchObject({ index: 1, description: 'REST fMRI', modality: 'MR', timePoints: 4, images: 48, seriesNumber: 7 });
    expect(series!.dimensions).toEqual([512, 512, 12]);
    expect(series!.derived).toBe(false);
    expect(series!.repetitionTime).toBe(2);
    expect(series!.files).toHaveLength(48);
    expect(series!.warnings.some((w) => w.includes('one of several volumes'))).toBe(false);
  });

  it('keeps two echoes as two entries named by echo, marked derived', () => {
    expect(echoes.series.map((s) => [s.description, s.echo, s.timePoints, s.images, s.derived])).toEqual([
      ['T2 multi-echo · echo 1', 1, 1, 12, true],
      ['T2 multi-echo · echo 2', 2, 1, 12, true],
    ]);
  });

  it('gives an echo opened without its sibling the same echo number, and so the same measurement key', async () => {
    const alone = join(folder, 'echo-2-alone');
    mkdirSync(alone);
    for (const file of echoes.series[1]!.files) copyFileSync(file, join(alone, basename(file)));
    const [single] = (await scanInput(alone, { threads: 1 })).series;
    expect([single!.echo, single!.echoNumber, echoes.series[1]!.echoNumber]).toEqual([undefined, 2, 2]);
    const keyOf = async (series: InputScan['series'][number]): Promise<string> => measurementVolumeKey((await series.load()).volume, series);
    expect(await keyOf(single!)).toBe(await keyOf(echoes.series[1]!));
    expect(await keyOf(single!)).not.toBe(await keyOf(echoes.series[0]!));
  });

  it('refuses a time point the series does not have', async () => {
    await expect(fmri.series[0]!.load(4)).rejects.toMatchObject({ code: 'DICOM_SERIES_NOT_FOUND' });
  });

  it.skipIf(!hasDcm2niix)(
    "loads each time point with dcm2niix's 4D volume t's voxels, affine within 1e-4 mm",
    async () => {
      const out = join(folder, 'nifti');
      mkdirSync(out);
      execFileSync('dcm2niix', ['-o', out, '-f', 'fmri', '-z', 'n', join(folder, 'fmri')], { encoding: 'utf8' });
      const nii = join(
        out,
        readdirSync(out).find((name) => name.endsWith('.nii'))!,
      );
      const means: number[] = [];
      for (let t = 0; t < 4; t++) {
        const { volume } = await fmri.series[0]!.load(t);
        const raw = join(folder, `t${t}.raw`);
        writeFileSync(raw, new Uint8Array(volume.voxels.buffer, volume.voxels.byteOffset, volume.voxels.byteLength));
        expect(volume.voxels).toBeInstanceOf(Uint16Array);
        const [d0, d1, d2] = volume.direction;
        const col = (a: readonly number[], s: number, sign: number): number[] => a.map((v) => v * s * sign);
        // Our grid in RAS: LPS's x and y negated.
        const m = [d0, d1, d2].map((d, a) => col(d, volume.spacing[a]!, 1));
        const affine = [0, 1, 2].map((r) => [m[0]![r]!, m[1]![r]!, m[2]![r]!, volume.origin[r]!].map((v) => (r < 2 ? -v : v)));
        affine.push([0, 0, 0, 1]);
        const result = runPythonJson<{ dim0: number; dim4: number; shape: number[]; maxDiff: number; affineDiff: number; mean: number }>(compareScript, [
          nii,
          raw,
          JSON.stringify(volume.dimensions),
          JSON.stringify(affine),
          String(t),
        ]);
        expect(result).toMatchObject({ dim0: 4, dim4: 4, shape: [512, 512, 12], maxDiff: 0 });
        expect(result.affineDiff).toBeLessThan(1e-4);
        means.push(result.mean);
      }
      // The generator adds 100 per time point to every voxel: the means step by 100.
      expect(means.slice(1).map((m, t) => m - means[t]!)).toEqual([100, 100, 100].map((v) => expect.closeTo(v, 6)));
    },
    120_000,
  );

  it.skipIf(!hasDcm2niix)(
    "opens dcm2niix's 4D NIfTI of the same files as one series of 4 time points whose volume t equals the DICOM time point t",
    async () => {
      const out = join(folder, 'nifti-gz');
      mkdirSync(out);
      execFileSync('dcm2niix', ['-o', out, '-f', 'fmri', '-z', 'y', join(folder, 'fmri')], { encoding: 'utf8' });
      const nii = join(
        out,
        readdirSync(out).find((name) => name.endsWith('.nii.gz'))!,
      );
      const scan = await scanInput(nii);
      expect(scan.series.map((s) => [s.format, s.timePoints])).toEqual([['nifti', 4]]);
      for (const t of [0, 3]) {
        const fromNifti = await scan.series[0]!.load(t);
        const fromDicom = await fmri.series[0]!.load(t);
        expect(fromNifti.warnings.filter((w) => w.startsWith('4D file'))).toEqual([]);
        // Same grid after both readers' LPS geometry; the voxel order may differ (dcm2niix flips rows), so compare sums and extremes.
        const stats = (v: ArrayLike<number>): number[] => {
          let sum = 0;
          let max = -Infinity;
          for (let n = 0; n < v.length; n++) {
            sum += v[n]!;
            max = Math.max(max, v[n]!);
          }
          return [v.length, sum, max];
        };
        expect(stats(fromNifti.volume.voxels)).toEqual(stats(fromDicom.volume.voxels));
        // The grid's centre in LPS mm is the same point (the corner the origin names differs where rows are flipped).
        const centre = ({ origin, direction, spacing, dimensions }: typeof fromDicom.volume): number[] =>
          [0, 1, 2].map((r) => origin[r]! + [0, 1, 2].reduce((sum, a) => sum + direction[a]![r]! * spacing[a]! * ((dimensions[a]! - 1) / 2), 0));
        const [ours, theirs] = [centre(fromDicom.volume), centre(fromNifti.volume)];
        expect(ours.map((v, r) => Math.abs(v - theirs[r]!))).toEqual([0, 0, 0].map(() => expect.closeTo(0, 3)));
      }
      // One volume asked for by the caller (the CLI's --volume): a 3D series then.
      expect((await scanInput(nii, { volumeIndex: 1 })).series[0]!.timePoints).toBe(1);
    },
    120_000,
  );
});
