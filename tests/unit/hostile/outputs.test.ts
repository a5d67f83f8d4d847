import { createHash } from 'node:crypto';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInput } from '../../../main/input/scanInput.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume, type Volume } from '../../../main/volume/Volume.js';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';
import { buildCtSeries } from '../cli/buildCtSeries.js';
import { identityBundle, labelPhantom } from '../segmentation/process/inferenceFixtures.js';

/*
 * Every way an output path can name an input's own bytes while its text differs: through a symlinked folder, a
 * hard link, a differently-cased name on a case-insensitive mount, and a NRRD header's detached data file. Each
 * run goes through the built CLI and must end OUTPUT_IS_INPUT, with the input's bytes unchanged and no
 * temporary file left. Before the fix the symlinked-folder and detached cases overwrote the input (exit 0).
 */

// Real path: the messages name detached data files after symlinks, and a temp folder may itself be one (macOS).
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'axial-outputs-')));
const real = join(scratch, 'real');
const linked = join(scratch, 'linked');
const ct = join(real, 'ct');
const bundle = join(real, 'bundle');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Plenty for the CLI on inputs of a few KB (node alone peaks near 50 MiB); a write loop over an input would not stay near it. */
const peakBoundMiB = 400;

type Grid = Pick<Volume, 'dimensions' | 'spacing' | 'origin' | 'direction'>;

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every temporary name the writer could have left, in the folders a run wrote to. */
function temporaries(...folders: string[]): string[] {
  return folders.flatMap((f) =>
    readdirSync(f)
      .filter((n) => n.endsWith('.tmp'))
      .map((n) => join(f, n)),
  );
}

/** A NRRD header in LPS space whose voxels live in `dataName` beside it (raw int16 little endian). */
function writeDetachedNrrd(header: string, dataName: string, grid: Grid, voxels: Int16Array): void {
  const vector = (v: readonly number[]): string => `(${v.join(',')})`;
  const directions = grid.direction.map((axis, a) => vector(axis.map((x) => x * grid.spacing[a]!)));
  writeFileSync(
    header,
    [
      'NRRD0004',
      'type: short',
      'dimension: 3',
      'space: left-posterior-superior',
      `sizes: ${grid.dimensions.join(' ')}`,
      `space directions: ${directions.join(' ')}`,
      `space origin: ${vector(grid.origin)}`,
      'encoding: raw',
      'endian: little',
      `data file: ${dataName}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dirname(header), dataName), Buffer.from(voxels.buffer, voxels.byteOffset, voxels.byteLength));
}

beforeAll(async () => {
  mkdirSync(ct, { recursive: true });
  symlinkSync(real, linked);
  await writeNifti(labelPhantom(), join(real, 'vol.nii'));
  buildCtSeries().forEach((bytes, k) => writeFileSync(join(ct, `IMG${k + 1}.dcm`), bytes));
  const ramp = new Int16Array(4 * 5 * 6).map((_, n) => n - 60);
  const identity: Grid['direction'] = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  writeDetachedNrrd(join(real, 'vol.nhdr'), 'data.nii', { dimensions: [4, 5, 6], spacing: [1, 1, 1.5], origin: [0, 0, 0], direction: identity }, ramp);
  // Labels on the CT series' own grid, so export-seg needs no resampling.
  const [series] = (await scanInput(ct)).series;
  const { volume } = await series!.load();
  const labels = new Uint8Array(volume.voxels.length).map((_, n) => (n % 3 === 0 ? 1 : 0));
  const { dimensions, spacing, origin, direction } = volume;
  await writeNifti(
    createVolume({ dimensions, spacing, origin, direction, voxels: labels, metadata: { format: 'nifti', windowPresets: [], fileCount: 1 } }),
    join(real, 'labels.nii'),
    { intent: 'label' },
  );
  writeDetachedNrrd(join(real, 'labels.nhdr'), 'labels.raw', volume, Int16Array.from(labels));
  cpSync(identityBundle, bundle, { recursive: true });
});

/** Runs the CLI and checks the refusal: the code, the input named, its bytes unchanged, no temporary file, time and memory. */
async function expectRefused(args: readonly string[], input: string, outputFolder: string): Promise<MeasuredRun> {
  const before = sha256(input);
  const run = await runAxialMeasured(args);
  expect(cliErrorCode(run), run.stderr).toBe('OUTPUT_IS_INPUT');
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`is the input file ${input}`);
  expect(sha256(input)).toBe(before);
  expect(temporaries(outputFolder, dirname(input))).toEqual([]);
  expect(run.ms).toBeLessThan(10_000);
  expect(run.peakMiB).toBeLessThan(peakBoundMiB);
  return run;
}

describe('an output that is an input by identity is refused, the input unchanged (built CLI)', () => {
  it('convert: through a symlinked folder onto its own input', async () => {
    await expectRefused(['convert', join(real, 'vol.nii'), join(linked, 'vol.nii')], join(real, 'vol.nii'), linked);
  });

  it('convert: onto a hard link to its input', async () => {
    const hard = join(scratch, 'hard-vol.nii');
    linkSync(join(real, 'vol.nii'), hard);
    await expectRefused(['convert', join(real, 'vol.nii'), hard], join(real, 'vol.nii'), scratch);
  });

  it("convert vol.nhdr data.nii: onto the NRRD header's own detached data file, directly and through the link", async () => {
    const data = join(real, 'data.nii');
    await expectRefused(['convert', join(real, 'vol.nhdr'), data], data, real);
    await expectRefused(['convert', join(linked, 'vol.nhdr'), join(linked, 'data.nii')], data, linked);
  });

  it('segment: through a symlinked folder onto its input, refused before the model runs', async () => {
    const input = join(real, 'vol.nii');
    const run = await expectRefused(['segment', '--model', bundle, '--device', 'cpu', input, join(linked, 'vol.nii')], input, linked);
    expect(run.stderr).not.toMatch(/ran on/);
  });

  it("segment: onto a hard link to the bundle's model file", async () => {
    const model = join(bundle, 'models', 'model.onnx');
    const hard = join(scratch, 'model-link.nii.gz');
    linkSync(model, hard);
    await expectRefused(['segment', '--model', bundle, '--device', 'cpu', join(real, 'vol.nii'), hard], model, scratch);
  });

  it('export-seg: through a symlinked folder onto a file of the source series', async () => {
    const source = join(ct, 'IMG2.dcm');
    await expectRefused(['export-seg', '--source', ct, '--labels', join(real, 'labels.nii'), join(linked, 'ct', 'IMG2.dcm')], source, join(linked, 'ct'));
  });

  it("export-seg: onto a hard link to the label map, and onto a detached label map's data file", async () => {
    const labels = join(real, 'labels.nii');
    const hard = join(scratch, 'labels-link.dcm');
    linkSync(labels, hard);
    await expectRefused(['export-seg', '--source', ct, '--labels', labels, hard], labels, scratch);
    const data = join(real, 'labels.raw');
    await expectRefused(['export-seg', '--source', ct, '--labels', join(real, 'labels.nhdr'), join(linked, 'labels.raw')], data, linked);
  });

  it('still writes when the output is a new file beside the inputs', async () => {
    const out = join(linked, 'converted.nii');
    const run = await runAxialMeasured(['convert', join(linked, 'vol.nhdr'), out]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(real, 'converted.nii'))).toBe(true);
    expect(temporaries(real)).toEqual([]);
  });
});

/*
 * A differently-cased name is the input itself only on a case-insensitive mount (macOS and Windows temp folders are
 * one; point AXIAL_CASE_INSENSITIVE_DIR at a folder on such a mount elsewhere). This machine's kernel has neither vfat
 * nor casefold (ext4 and tmpfs need CONFIG_UNICODE), so here the same spelling names a file of its own, which must be
 * written: the check is by identity, never by case-folded text. Either way the input's bytes stay as they were.
 */
const caseFolder = process.env.AXIAL_CASE_INSENSITIVE_DIR ?? tmpdir();
const caseInsensitive = ((): boolean => {
  const probe = mkdtempSync(join(caseFolder, 'axial-case-'));
  try {
    writeFileSync(join(probe, 'Probe'), '');
    return existsSync(join(probe, 'PROBE'));
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe('convert onto its input spelled in other case', () => {
  it(caseInsensitive ? 'is refused on this case-insensitive mount' : 'writes a file of its own on this case-sensitive file system', async () => {
    const folder = mkdtempSync(join(caseFolder, 'axial-case-'));
    try {
      const input = join(folder, 'scan.nii');
      await writeNifti(labelPhantom(), input);
      if (caseInsensitive) {
        await expectRefused(['convert', input, join(folder, 'SCAN.NII')], input, folder);
        return;
      }
      const before = sha256(input);
      const run = await runAxialMeasured(['convert', input, join(folder, 'SCAN.NII')]);
      expect(run.code, run.stderr).toBe(0);
      expect(sha256(input)).toBe(before);
      expect(readdirSync(folder).sort()).toEqual(['SCAN.NII', 'scan.nii']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
