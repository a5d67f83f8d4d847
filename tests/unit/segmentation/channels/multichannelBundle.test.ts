import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../main/cli/CliIo.js';
import { runSegment } from '../../../../main/cli/runSegment.js';
import type { CaseSummary } from '../../../../main/cli/writeSegmentCase.js';
import type { BatchSummary } from '../../../../main/cli/runSegmentBatch.js';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { readDicomSeg } from '../../../../main/dicomSeg/readDicomSeg.js';
import { scanInput } from '../../../../main/input/scanInput.js';
import { loadModelSpec } from '../../../../main/segmentation/loadModelSpec.js';
import { runInferenceProcess } from '../../../../main/segmentation/process/runInferenceProcess.js';
import type { PlainVolume } from '../../../../main/segmentation/process/inferenceMessages.js';

const script = fileURLToPath(new URL('../../../fixtures/makeMultichannelBundle.py', import.meta.url));

interface Written {
  readonly bundle: string;
  /** The model zoo's brats_mri_segmentation configs as published, with the same network. */
  readonly brats_bundle: string;
  readonly brats_labels: string;
  /** The same model with one key per sequence and ConcatItemsd, no input channel_def. */
  readonly concat_bundle: string;
  readonly inputs: Readonly<Record<'T1c' | 'T1' | 'T2' | 'FLAIR', string>>;
  /** The same phantoms as DICOM MR series (folders). */
  readonly dicom: Readonly<Record<'T1c' | 'T1' | 'T2' | 'FLAIR', string>>;
  readonly labels: string;
  readonly layers: readonly string[];
  readonly margin: string;
  readonly network_shape: readonly number[];
  readonly head_fraction: readonly number[];
}

const folder = mkdtempSync(join(tmpdir(), 'axial-multichannel-'));
let written: Written;
const quiet = { progress: { isTTY: false, write: () => undefined } };

beforeAll(() => {
  written = JSON.parse(execFileSync('/usr/bin/python3', [script, folder], { encoding: 'utf8', timeout: 120_000 }).trim()) as Written;
}, 150_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function segment(argv: readonly string[]): Promise<{ code: number; summary: CaseSummary }> {
  const out: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: () => undefined };
  const code = await runSegment([...argv, '--device', 'cpu', '--json'], io, quiet);
  return { code, summary: JSON.parse(out.join('\n')) as CaseSummary };
}

const inputArgs = (inputs: Written['inputs']): string[] => Object.entries(inputs).flatMap(([name, path]) => ['--input', `${name.toLowerCase()}=${path}`]);

/** Voxels that differ, and the largest distance of their reference probability from the 0.5 threshold. */
async function compare(ours: string, reference: string): Promise<{ differing: number; worstMargin: number; voxels: number }> {
  const [a, b, margin] = await Promise.all([readNifti(ours), readNifti(reference), readNifti(written.margin)]);
  expect(a.volume.dimensions).toEqual(b.volume.dimensions);
  // Equal geometry (a DICOM source's axes may hold -0 where the NIfTI's hold 0: x + 0 makes both 0).
  expect(a.volume.origin.map((x) => x + 0)).toEqual(b.volume.origin.map((x) => x + 0));
  expect(a.volume.direction.flat().map((x) => x + 0)).toEqual(b.volume.direction.flat().map((x) => x + 0));
  let differing = 0;
  let worstMargin = 0;
  a.volume.voxels.forEach((v, n) => {
    if (v === b.volume.voxels[n]) return;
    differing++;
    worstMargin = Math.max(worstMargin, margin.volume.voxels[n]!);
  });
  return { differing, worstMargin, voxels: a.volume.voxels.length };
}

describe('a brats-shaped 4-channel bundle with sigmoid regions and the torch.where Lambdad, end to end', () => {
  it('reads the bundle as runnable, with its channel names and its Lambdad', async () => {
    const spec = await loadModelSpec(written.bundle);
    expect(spec.unsupported).toEqual([]);
    expect(spec.input).toMatchObject({ channels: 4, channelNames: ['T1c', 'T1', 'T2', 'FLAIR'] });
    expect(spec.postprocessing.map((s) => s.kind)).toEqual(['Activationsd', 'Invertd', 'AsDiscreted', 'Lambdad']);
  });

  it('gives MONAI’s labels and layers on every voxel, from sequences stored on different grids', async () => {
    const output = join(folder, 'labels.nii.gz');
    const { code, summary } = await segment(['--model', written.bundle, ...inputArgs(written.inputs), output]);
    expect(code).toBe(0);
    // T2 is on another grid (other spacing, axes along A, S, R): resampled onto T1c's, and said so.
    expect(summary.warnings?.filter((w) => /^T2 .* is on another grid than T1c/.test(w))).toHaveLength(1);
    expect(summary.warnings?.filter((w) => /another grid/.test(w))).toHaveLength(1);
    const merged = await compare(output, written.labels);
    // The reference's probabilities come within 7e-7 of the threshold somewhere; still every voxel is equal.
    expect(merged).toMatchObject({ differing: 0, voxels: 40 * 36 * 12 });
    // Labels named after the channel that decides them less the channels torch.where tested first (label 2 is the
    // oedema), each in its channel's layer colour.
    expect(summary.segments?.map((s) => [s.value, s.name])).toEqual([
      [1, 'Tumor core, not Enhancing tumor'],
      [2, 'Whole tumor, not Enhancing tumor or Tumor core'],
      [4, 'Enhancing tumor'],
    ]);
    expect(summary.segments?.every((s) => s.voxels > 500)).toBe(true);
    expect(summary.layers?.map((l) => l.name)).toEqual(['Tumor core', 'Whole tumor', 'Enhancing tumor']);
    for (const [c, layer] of (summary.layers ?? []).entries()) {
      expect(layer.output).toBe(join(folder, `labels-${['tumor-core', 'whole-tumor', 'enhancing-tumor'][c]}.nii.gz`));
      expect(await compare(layer.output, written.layers[c]!)).toMatchObject({ differing: 0 });
    }
    // The layers overlap (whole tumour holds voxels of the others), which one label map cannot show.
    const layers = await Promise.all((summary.layers ?? []).map(async (l) => (await readNifti(l.output)).volume.voxels));
    const both = layers[0]!.filter((v, n) => v === 1 && layers[1]![n] === 1).length;
    expect(both).toBeGreaterThan(100);
    expect(written.head_fraction.every((f) => f > 0.05)).toBe(true);
  }, 60_000);

  it('writes the layers as one 4D NIfTI with --layers 4d, and refuses a wrong channel set', async () => {
    const output = join(folder, 'four-d.nii.gz');
    const { summary } = await segment(['--model', written.bundle, ...inputArgs(written.inputs), output, '--layers', '4d']);
    const path = join(folder, 'four-d-layers.nii.gz');
    expect(summary.layers?.map((l) => [l.output, l.volume])).toEqual([
      [path, 0],
      [path, 1],
      [path, 2],
    ]);
    for (let t = 0; t < 3; t++) {
      const [ours, reference] = await Promise.all([readNifti(path, { volumeIndex: t }), readNifti(written.layers[t]!)]);
      expect(ours.volumeCount).toBe(3);
      expect(ours.volume.voxels).toEqual(reference.volume.voxels);
    }
    const usage = async (argv: string[]): Promise<string> => {
      const error = await segment(['--model', written.bundle, ...argv]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AxialError);
      expect((error as AxialError).code).toBe('CLI_USAGE');
      return (error as AxialError).message;
    };
    expect(await usage([written.inputs.T1c, join(folder, 'x.nii.gz')])).toMatch(/takes 4 input images \(T1c, T1, T2, FLAIR\): give each as --input NAME=PATH/);
    // The first three pairs of --input: T1c, T1 and T2.
    expect(await usage([...inputArgs(written.inputs).slice(0, 6), join(folder, 'x.nii.gz')])).toMatch(/--input is missing for FLAIR/);
    expect(await usage(['--input', `dwi=${written.inputs.T1}`, ...inputArgs(written.inputs), join(folder, 'x.nii.gz')])).toMatch(
      /has no input channel "dwi"; its channels are T1c \(or 0\), T1 \(or 1\)/,
    );
  }, 60_000);

  it('reads the sequences from DICOM series too, and writes the overlapping layers as a DICOM SEG (--seg)', async () => {
    const output = join(folder, 'dicom-labels.nii.gz');
    const segPath = join(folder, 'labels.seg.dcm');
    const { summary } = await segment(['--model', written.bundle, ...inputArgs(written.dicom), output, '--seg', segPath, '--layers', 'none']);
    expect(summary.warnings?.filter((w) => /another grid/.test(w))).toHaveLength(1);
    expect(await compare(output, written.labels)).toMatchObject({ differing: 0 });
    expect(summary.layers).toBeUndefined();
    expect(summary.seg).toMatchObject({ output: segPath, segments: 3 });
    // Read back onto the T1c series: one segment per channel, each in its own layer (the reader numbers segments
    // across the file), equal to the reference's mask.
    const source = await (await scanInput(written.dicom.T1c)).series[0]!.load();
    const { seg } = await readDicomSeg(segPath, source.volume);
    expect(seg.segments.map((s) => [s.label, s.layer, s.value])).toEqual([
      ['Tumor core', 0, 1],
      ['Whole tumor', 1, 2],
      ['Enhancing tumor', 2, 3],
    ]);
    for (let c = 0; c < 3; c++) {
      const reference = (await readNifti(written.layers[c]!)).volume.voxels;
      expect(seg.layers[c]!.every((v, n) => (v === c + 1 ? 1 : v) === reference[n])).toBe(true);
    }
    // A --seg that cannot be written is refused before the model runs (no label map written): NIfTI inputs, or a
    // SEG path that is the output or one of its layer files.
    const refused = async (argv: readonly string[], code: string): Promise<string> => {
      const target = join(folder, 'refused-seg.nii.gz');
      const error = await segment(['--model', written.bundle, ...argv, target]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AxialError);
      expect((error as AxialError).code).toBe(code);
      expect(existsSync(target)).toBe(false);
      return (error as AxialError).message;
    };
    expect(await refused([...inputArgs(written.inputs), '--seg', join(folder, 'x.dcm')], 'SEG_NEEDS_DICOM_SOURCE')).toMatch(/is a NIFTI file/);
    const layerFile = join(folder, 'refused-seg-whole-tumor.nii.gz');
    expect(await refused([...inputArgs(written.dicom), '--seg', layerFile], 'CLI_USAGE')).toMatch(/is where a layer of the result is written/);
    expect(await refused([...inputArgs(written.dicom), '--seg', join(folder, 'refused-seg.nii.gz')], 'CLI_USAGE')).toMatch(/is the label map's output/);
  }, 60_000);

  it('runs a batch from a CSV list with one column per channel (any column order), and checks the columns first', async () => {
    const { T1c, T1, T2, FLAIR } = written.inputs;
    const d = written.dicom;
    const list = join(folder, 'cases.csv');
    writeFileSync(
      list,
      `# one row per case\ncase,FLAIR,t2,T1c,t1\nfrom-nifti,${FLAIR},${T2},${T1c},${T1}\n"from-dicom","${d.FLAIR}",${d.T2},${d.T1c},${d.T1}\n` +
        `,${FLAIR},${T2},${T1c},${T1}\n`,
    );
    const outDir = join(folder, 'batch');
    const out: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: () => undefined };
    const code = await runSegment(['--model', written.bundle, '--batch', list, '--out-dir', outDir, '--device', 'cpu', '--json'], io, quiet);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join('\n')) as BatchSummary;
    // A case without a name takes the model's first channel's (T1c's file), whatever the list's column order.
    expect(summary.results.map((r) => [r.case, r.status, r.input])).toEqual([
      ['from-dicom', 'ok', d.T1c],
      ['from-nifti', 'ok', T1c],
      ['t1c', 'ok', T1c],
    ]);
    for (const name of ['from-dicom', 'from-nifti']) expect(await compare(join(outDir, `${name}.nii.gz`), written.labels)).toMatchObject({ differing: 0 });
    expect(summary.results[1]!.layers?.map((l) => l.output)).toEqual(
      ['tumor-core', 'whole-tumor', 'enhancing-tumor'].map((p) => join(outDir, `from-nifti-${p}.nii.gz`)),
    );
    const wrong = join(folder, 'cases.json');
    writeFileSync(wrong, JSON.stringify([{ case: 'a', t1c: T1c, t1: T1, t2: T2, dwi: FLAIR }]));
    const error = await runSegment(['--model', written.bundle, '--batch', wrong, '--out-dir', join(folder, 'batch-wrong')], io, quiet).catch((e: unknown) => e);
    expect((error as AxialError).code).toBe('CLI_USAGE');
    expect((error as AxialError).message).toMatch(/has no input channel "dwi"/);
    // Every case is checked before the first runs: a later row without FLAIR, a case name that leaves --out-dir, and
    // a case whose layer file is another case's output are refused with nothing written.
    const refused = async (rows: readonly Record<string, string>[]): Promise<string> => {
      const file = join(folder, 'refused.json');
      writeFileSync(file, JSON.stringify(rows));
      const outDir = join(folder, 'batch-refused');
      const thrown = await runSegment(['--model', written.bundle, '--batch', file, '--out-dir', outDir, '--device', 'cpu'], io, quiet).catch((e: unknown) => e);
      expect((thrown as AxialError).code).toBe('CLI_USAGE');
      expect(existsSync(outDir)).toBe(false);
      return (thrown as AxialError).message;
    };
    const full = { t1c: T1c, t1: T1, t2: T2, flair: FLAIR };
    expect(
      await refused([
        { case: 'a', ...full },
        { case: 'b', t1c: T1c, t1: T1, t2: T2 },
      ]),
    ).toMatch(/refused\.json: case 2: .*--input is missing for FLAIR$/);
    expect(await refused([{ case: '../../escaped', ...full }])).toMatch(/refused\.json: case 1: the case name "\.\.\/\.\.\/escaped" holds a \/ or \\/);
    expect(
      await refused([
        { case: 'a', ...full },
        { case: 'a-whole-tumor', ...full },
      ]),
    ).toMatch(/cases "a" and "a-whole-tumor" would both write a-whole-tumor\.nii\.gz/);
  }, 60_000);

  it('runs the model zoo’s brats_mri_segmentation configs as published (one 240×240×160 window) to MONAI’s labels', async () => {
    const spec = await loadModelSpec(written.brats_bundle);
    expect(spec.unsupported).toEqual([]);
    expect(spec.inferer).toMatchObject({ roiSize: [240, 240, 160], overlap: 0.5, mode: 'constant' });
    const output = join(folder, 'brats.nii.gz');
    const { summary } = await segment(['--model', written.brats_bundle, ...inputArgs(written.inputs), output, '--layers', 'none']);
    expect(await compare(output, written.brats_labels)).toMatchObject({ differing: 0 });
    expect(summary.segments?.map((s) => s.name)).toEqual([
      'Tumor core, not Enhancing tumor',
      'Whole tumor, not Enhancing tumor or Tumor core',
      'Enhancing tumor',
    ]);
    expect(summary.segments?.every((s) => s.voxels > 100)).toBe(true);
  }, 60_000);

  it('takes the channels as volumes in memory through the inference process (the app’s request) and returns the layers', async () => {
    const plain = async (path: string): Promise<PlainVolume> => {
      const { dimensions, spacing, origin, direction, voxels, metadata } = (await readNifti(path)).volume;
      return { dimensions, spacing, origin, direction, voxels, metadata };
    };
    const result = await runInferenceProcess({
      type: 'segment',
      modelPath: written.bundle,
      device: 'cpu',
      volume: await plain(written.inputs.T1c),
      channelName: 'T1c',
      moreChannels: await Promise.all(
        (['T1', 'T2', 'FLAIR'] as const).map(async (name) => ({ name, volume: await plain(written.inputs[name]), source: `${name} series` })),
      ),
    });
    const reference = (await readNifti(written.labels)).volume.voxels;
    expect(result.labels.voxels.every((v, n) => v === reference[n])).toBe(true);
    expect(result.warnings.filter((w) => w.startsWith('T2 (T2 series) is on another grid than T1c'))).toHaveLength(1);
    expect(result.layers?.map((l) => [l.name, l.segments.map((s) => s.value)])).toEqual([
      ['Tumor core', [1]],
      ['Whole tumor', [1]],
      ['Enhancing tumor', [1]],
    ]);
    // Each merged label in its deciding channel's layer colour: 1 as tumour core's, 2 as whole tumour's, 4 as enhancing's.
    const layerColour = (c: number) => result.layers![c]!.segments[0]!.colour;
    expect(result.segments.map((s) => [s.value, s.colour])).toEqual([
      [1, layerColour(0)],
      [2, layerColour(1)],
      [4, layerColour(2)],
    ]);
    for (const [c, layer] of (result.layers ?? []).entries()) {
      const mask = (await readNifti(written.layers[c]!)).volume.voxels;
      expect(layer.labels.voxels.every((v, n) => v === mask[n])).toBe(true);
      expect(layer.labels.dimensions).toEqual([40, 36, 12]);
    }
  }, 60_000);

  it('runs the same model written with one key per sequence and ConcatItemsd, named by its keys', async () => {
    const spec = await loadModelSpec(written.concat_bundle);
    expect(spec.unsupported).toEqual([]);
    expect(spec.input.channelNames).toEqual(['t1c', 't1', 't2', 'flair']);
    const output = join(folder, 'concat.nii.gz');
    await segment(['--model', written.concat_bundle, ...inputArgs(written.inputs), output, '--layers', 'none']);
    expect(await compare(output, written.labels)).toMatchObject({ differing: 0 });
  }, 60_000);

  it('gives other labels when two sequences are swapped (the channel order reaches the network)', async () => {
    const output = join(folder, 'swapped.nii.gz');
    const { T2, FLAIR } = written.inputs;
    await segment(['--model', written.bundle, ...inputArgs({ ...written.inputs, T2: FLAIR, FLAIR: T2 }), output]);
    const { differing, voxels } = await compare(output, written.labels);
    expect(differing).toBeGreaterThan(voxels / 100);
  }, 60_000);
});
