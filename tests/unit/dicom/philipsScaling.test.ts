import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/runCli.js';
import { debianPython, runPythonJson } from '../../python.js';
import { repoRoot } from '../../repoRoot.js';
import { hasSharedData, sharedData } from '../../sharedData.js';

/**
 * Philips MR values against dcm2niix. Each case is a Philips series made at test time by
 * tests/fixtures/makePhilipsMr.py from real slices of ct-abdomen-j2k (their stored values and
 * geometry), with RescaleSlope RS, RescaleIntercept RI and the private scale slope SS (2005,100E)
 * as Philips writes them. `axial convert` (precise, the default) must give dcm2niix's default
 * values, FP = (SV·RS + RI)/(RS·SS), rounded to float32 as Axial stores them, with no voxel off;
 * `--philips-scaling display` must give SV·RS + RI, rounded to float32, with no voxel off.
 */
interface PhilipsCase {
  readonly name: string;
  readonly rs: string;
  readonly ri: string;
  readonly ss: string;
  readonly slices: number;
  readonly enhanced?: boolean;
}

const cases: PhilipsCase[] = [
  { name: 'classic 3D T1 (RI 0)', rs: '1.84908424908424', ri: '0', ss: '0.0327447', slices: 6 },
  { name: 'classic, non-zero RescaleIntercept', rs: '2.3531135531135', ri: '-4.7', ss: '0.0122', slices: 4 },
  { name: 'Enhanced MR multi-frame (RS/RI and SS per frame)', rs: '1.84908424908424', ri: '0', ss: '0.0327447', slices: 6, enhanced: true },
];

const cli = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const generator = join(repoRoot, 'tests', 'fixtures', 'makePhilipsMr.py');
const source = sharedData('dicom/ct-abdomen-j2k');
const has = (command: string): boolean => spawnSync(command, ['--version'], { encoding: 'utf8' }).error === undefined;
const ready = hasSharedData && existsSync(source) && has('dcm2niix') && has('gdcmconv');
const why = 'needs ../shared/data/dicom/ct-abdomen-j2k, dcm2niix and gdcmconv';

/**
 * Both NIfTIs in closest-canonical order. `mode` precise: Axial's values against dcm2niix's
 * (scl_slope/scl_inter applied by nibabel in float64); display: against SV·RS + RI worked out in
 * float64 from dcm2niix's stored values SV and the DS strings RS and RI.
 */
const compareScript = `
import json, sys
import nibabel as nib
import numpy as np
from nibabel.orientations import apply_orientation, io_orientation

axial_path, ref_path, rs, ri, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
axial = nib.as_closest_canonical(nib.load(axial_path))
ref = nib.load(ref_path)
ornt = io_orientation(ref.affine)
if mode == 'precise':
    expected = apply_orientation(ref.get_fdata(dtype=np.float64), ornt)
else:
    expected = apply_orientation(np.asanyarray(ref.dataobj.get_unscaled()).astype(np.float64), ornt) * rs + ri
values = axial.get_fdata(dtype=np.float64)
out = {'shape': list(values.shape), 'refShape': list(expected.shape), 'axialType': str(axial.get_data_dtype())}
if values.shape == expected.shape:
    biggest = float(np.abs(expected).max())
    out.update({
        'affineMaxDiffMm': float(np.abs(axial.affine - nib.as_closest_canonical(ref).affine).max()),
        'refSclSlope': float(ref.dataobj.slope), 'refSclInter': float(ref.dataobj.inter),
        'mismatchesFloat32': int((values != expected.astype(np.float32)).sum()),
        'differFromFloat64': int((values != expected).sum()),
        'voxels': int(values.size),
        'maxAbsDiff': float(np.abs(values - expected).max()),
        'halfUlpAtMax': float(np.spacing(np.float32(biggest))) / 2,
        'max': float(values.max()),
    })
print(json.dumps(out))
`;

interface Comparison {
  readonly shape: number[];
  readonly refShape: number[];
  readonly axialType: string;
  readonly affineMaxDiffMm: number;
  readonly refSclSlope: number;
  readonly refSclInter: number;
  readonly mismatchesFloat32: number;
  readonly differFromFloat64: number;
  readonly voxels: number;
  readonly maxAbsDiff: number;
  readonly halfUlpAtMax: number;
  readonly max: number;
}

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout + result.stderr;
}

describe.skipIf(!ready)(`Philips scaling against dcm2niix${ready ? '' : ` — skipped: ${why}`}`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-philips-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  beforeAll(() => expect(existsSync(cli), `${cli} is missing: run \`npx tsc -b\` first`).toBe(true));

  cases.forEach((c, n) => {
    describe(c.name, () => {
      const folder = join(scratch, String(n));
      const input = join(folder, 'input');
      const reference = join(folder, 'dcm2niix');
      let dcm2niixLog = '';
      beforeAll(() => {
        mkdirSync(reference, { recursive: true });
        execFileSync(debianPython, [generator, source, input, c.rs, c.ri, c.ss, String(c.slices), ...(c.enhanced ? ['enhanced'] : [])]);
        dcm2niixLog = run('dcm2niix', ['-z', 'n', '-b', 'n', '-f', 'precise', '-o', reference, input]);
        run('dcm2niix', ['-p', 'n', '-z', 'n', '-b', 'n', '-f', 'display', '-o', reference, input]);
      });

      it("precise (the default) equals dcm2niix's default conversion in float32, voxel for voxel", () => {
        expect(dcm2niixLog).toContain(`Philips Scaling Values RS:RI:SS`);
        const output = join(folder, 'precise.nii');
        run(process.execPath, [cli, 'convert', input, output]);
        const result = runPythonJson<Comparison>(compareScript, [output, join(reference, 'precise.nii'), c.rs, c.ri, 'precise']);
        const summary = JSON.stringify(result);
        expect(result.shape, summary).toEqual([512, 512, c.slices]);
        expect(result.refShape, summary).toEqual(result.shape);
        expect(result.axialType, summary).toBe('float32');
        expect(result.affineMaxDiffMm, summary).toBeLessThan(1e-3);
        expect(result.mismatchesFloat32, summary).toBe(0);
        // dcm2niix's own values are float64 (scl_* applied by nibabel); float32 can only be within half an ulp of them.
        expect(result.maxAbsDiff, summary).toBeLessThanOrEqual(result.halfUlpAtMax);
      });

      it('display equals SV·RS + RI (the RescaleSlope values) in float32, voxel for voxel', () => {
        const output = join(folder, 'display.nii');
        run(process.execPath, [cli, 'convert', input, output, '--philips-scaling', 'display']);
        const result = runPythonJson<Comparison>(compareScript, [output, join(reference, 'display.nii'), c.rs, c.ri, 'display']);
        const summary = JSON.stringify(result);
        expect(result.shape, summary).toEqual([512, 512, c.slices]);
        expect(result.mismatchesFloat32, summary).toBe(0);
        expect(result.maxAbsDiff, summary).toBeLessThanOrEqual(result.halfUlpAtMax);
      });

      it('axial info says which values it shows, in text and JSON', () => {
        type Info = { series: { units: string }[] };
        const json = (scaling: string): Info => JSON.parse(run(process.execPath, [cli, 'info', input, '--json', '--philips-scaling', scaling])) as Info;
        expect(json('precise').series.map((s) => s.units)).toEqual(['Philips FP (precise)']);
        expect(json('display').series.map((s) => s.units)).toEqual(['Philips DV (display)']);
        expect(run(process.execPath, [cli, 'info', input])).toMatch(/data type {4}float32, values -?[\d.]+ to [\d.]+ Philips FP \(precise\)/);
      });
    });
  });
});

describe('--philips-scaling', () => {
  it('refuses any word but precise and display as a usage error (exit 2)', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runCli(['info', 'anything', '--philips-scaling', 'raw'], io)).toBe(2);
    expect(lines.join('\n')).toContain('CLI_USAGE: --philips-scaling must be precise or display, got "raw"');
  });
});
