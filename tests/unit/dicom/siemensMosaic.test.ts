import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDicomVolume } from '../../../main/dicom/loadDicomVolume.js';
import { scanDicom } from '../../../main/dicom/scanDicom.js';
import { debianPython, runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

/**
 * Siemens EPI mosaics made at test time from a real slice series (makeSiemensMosaic.py: 12
 * consecutive slices of ct-abdomen-j2k cropped to tiles, 3 time points, the CSA header and
 * (0019,100A) as Siemens writes them), read by Axial and by dcm2niix. dcm2niix stacks the
 * three files into one 4D NIfTI; Axial keeps its rule for repeated positions (one volume per
 * acquisition), so each of Axial's volumes is compared with one time point of dcm2niix's.
 */
interface Variant {
  readonly name: 'csa' | 'flipped' | 'private-only' | 'enhanced';
  readonly title: string;
  /** Re-encodes the generated files, so that the tiles are cut from a decoded (not raw) frame. */
  readonly jpeg2000?: boolean;
}

const variants: readonly Variant[] = [
  { name: 'csa', title: 'N in the CSA header, tiles along row × column, explicit VR' },
  { name: 'flipped', title: 'CSA SliceNormalVector against row × column, N also in (0019,100A), implicit VR' },
  { name: 'private-only', title: 'N only in (0019,100A), oblique, 64×56 tiles' },
  { name: 'csa', title: 'N in the CSA header, JPEG 2000 lossless (gdcmconv --j2k)', jpeg2000: true },
  { name: 'enhanced', title: 'one Enhanced MR file, each of its 3 frames a mosaic, oblique, CSA normal against row × column' },
];
/**
 * Left out of the comparison with dcm2niix: the Enhanced MR mosaic. dcm2niix v1.0.20220720
 * (Debian) writes it as 64×64×12×1: slices 1–3 are tiles 1–3 of frame 1 and slices 4–12 all
 * repeat tile 1 (checked by hand). Its frames are compared with the classic files' tiles instead.
 */
const comparedWithDcm2niix = variants.filter((v) => v.name !== 'enhanced');

const generator = join(repoRoot, 'tests', 'fixtures', 'makeSiemensMosaic.py');
const cli = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const source = sharedData('dicom/ct-abdomen-j2k');
const hasDcm2niix = spawnSync('dcm2niix', ['-v'], { encoding: 'utf8' }).error === undefined;
const hasGdcm = spawnSync('gdcmconv', ['--version'], { encoding: 'utf8' }).error === undefined;

interface Generated {
  readonly files: string[];
  readonly slices: number;
  readonly tile: [number, number];
  /** Each slice's first voxel (LPS mm), in tile order. */
  readonly positions: [number, number, number][];
}

function generate(variant: Variant, folder: string): Generated {
  const out = execFileSync(debianPython, [generator, source, folder, variant.name], { encoding: 'utf8' });
  const generated = JSON.parse(out.trim().split('\n').pop()!) as Generated;
  if (variant.jpeg2000) {
    for (const file of generated.files) execFileSync('gdcmconv', ['--j2k', file, file]);
  }
  return generated;
}

/** Each Axial volume (argv[2:]) against the same time point of dcm2niix's 4D output (argv[1]), in closest-canonical RAS. */
const compareScript = `
import glob, json, os, sys
import nibabel as nib
import numpy as np
refs = sorted(glob.glob(os.path.join(sys.argv[1], '*.nii*')))
ref = nib.load(refs[0])
out = {'references': [os.path.basename(r) for r in refs], 'referenceShape': list(ref.shape), 'volumes': []}
for t, path in enumerate(sys.argv[2:]):
    axial = nib.load(path)
    a = nib.as_closest_canonical(axial)
    r = nib.as_closest_canonical(ref.slicer[..., t] if len(ref.shape) == 4 else ref)
    values, ref_values = a.get_fdata(), r.get_fdata()
    entry = {'shape': list(axial.shape), 'affineMaxDiffMm': float(np.abs(a.affine - r.affine).max())}
    entry['mismatches'] = int((values != ref_values).sum()) if values.shape == ref_values.shape else -1
    out['volumes'].append(entry)
print(json.dumps(out))
`;

interface Comparison {
  readonly references: string[];
  readonly referenceShape: number[];
  readonly volumes: { shape: number[]; affineMaxDiffMm: number; mismatches: number }[];
}

const available = hasSharedData && existsSync(source) && hasGdcm;
const why = available ? noSharedDataReason : `SKIPPED: needs ${source} and gdcmconv`;

describe.skipIf(!available)(`Siemens mosaics made from a real series (${why})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-mosaic-'));
  const made = new Map<Variant, { folder: string; generated: Generated }>();
  beforeAll(() => {
    variants.forEach((variant, n) => {
      const folder = join(scratch, String(n), 'input');
      made.set(variant, { folder, generated: generate(variant, folder) });
    });
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(variants)('splits each file into tile × tile × 12 slices at the generator’s positions: $title', async (variant) => {
    const { folder, generated } = made.get(variant)!;
    const [tileRows, tileColumns] = generated.tile;
    const scan = await scanDicom(folder);
    expect(scan.skipped).toEqual([]);
    expect(scan.series).toHaveLength(3);
    const transferSyntax = scan.series[0]!.slices[0]!.instance.transferSyntaxUid;
    expect(transferSyntax).toBe(variant.jpeg2000 ? '1.2.840.10008.1.2.4.90' : variant.name === 'flipped' ? '1.2.840.10008.1.2' : '1.2.840.10008.1.2.1');
    const against = variant.name === 'flipped' || variant.name === 'enhanced';
    for (const series of scan.series) {
      expect(series.dimensions).toEqual([tileColumns, tileRows, generated.slices]);
      // Slices are sorted along row × column: the last tile comes first when the CSA normal is against it.
      const first = against ? generated.positions[generated.slices - 1]! : generated.positions[0]!;
      series.origin.forEach((v, axis) => expect(v).toBeCloseTo(first[axis]!, 4));
      const step = Math.hypot(...generated.positions[1]!.map((v, axis) => v - generated.positions[0]![axis]!));
      expect(series.spacing[2]).toBeCloseTo(step, 4);
      expect(series.warnings.filter((w) => !w.startsWith('one of several volumes'))).toEqual([]);
    }
    const volume = await loadDicomVolume(scan.series[0]!);
    expect(volume.voxels.length).toBe(tileRows * tileColumns * generated.slices);
  });

  it('reads each frame of the Enhanced MR mosaic as the classic mosaic of that time point, voxel for voxel', async () => {
    const classic = await scanDicom(made.get(variants[0]!)!.folder);
    const enhanced = await scanDicom(made.get(variants.find((v) => v.name === 'enhanced')!)!.folder);
    expect(enhanced.series.map((s) => s.fileCount)).toEqual([1, 1, 1]);
    for (let t = 0; t < 3; t++) {
      const expected = await loadDicomVolume(classic.series[t]!);
      const actual = await loadDicomVolume(enhanced.series[t]!);
      const [columns, rows, slices] = expected.dimensions;
      const plane = columns * rows;
      // The enhanced file's tiles run against row × column, so its volume holds them in reverse order.
      let mismatches = 0;
      for (let k = 0; k < slices; k++) {
        const want = expected.voxels.subarray(k * plane, (k + 1) * plane);
        const got = actual.voxels.subarray((slices - 1 - k) * plane, (slices - k) * plane);
        for (let i = 0; i < plane; i++) if (want[i] !== got[i]) mismatches++;
      }
      expect(mismatches, `time point ${t + 1}`).toBe(0);
    }
  });

  it.skipIf(!hasDcm2niix).each(comparedWithDcm2niix)('equals dcm2niix voxel for voxel, affine within 1e-3 mm: $title', (variant) => {
    expect(existsSync(cli), `${cli} is missing: run \`npx tsc -b\` first`).toBe(true);
    const { folder, generated } = made.get(variant)!;
    const reference = join(folder, '..', 'dcm2niix');
    mkdirSync(reference, { recursive: true });
    execFileSync('dcm2niix', ['-z', 'y', '-b', 'n', '-f', 'ref', '-o', reference, folder], { encoding: 'utf8' });
    const outputs = [1, 2, 3].map((n) => {
      const output = join(folder, '..', `axial-${n}.nii.gz`);
      // The mosaics' time points are one 4D series: each is written alone with --time-point.
      execFileSync(process.execPath, [cli, 'convert', folder, output, '--time-point', String(n - 1)], { encoding: 'utf8', stdio: 'pipe' });
      return output;
    });
    const result = runPythonJson<Comparison>(compareScript, [reference, ...outputs]);
    const summary = JSON.stringify(result);
    const [tileRows, tileColumns] = generated.tile;
    expect(readdirSync(reference), summary).toHaveLength(1);
    expect(result.referenceShape, summary).toEqual([tileColumns, tileRows, generated.slices, 3]);
    for (const volume of result.volumes) {
      expect(volume.shape, summary).toEqual([tileColumns, tileRows, generated.slices]);
      expect(volume.affineMaxDiffMm, summary).toBeLessThan(1e-3);
      expect(volume.mismatches, summary).toBe(0);
    }
  });
});
