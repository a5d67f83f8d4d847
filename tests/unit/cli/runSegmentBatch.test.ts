import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import type { BatchSummary } from '../../../main/cli/runSegmentBatch.js';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { identityBundle, identityOnnx, labelPhantom } from '../segmentation/process/inferenceFixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-batch-out-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('axial segment --batch --out-dir', () => {
  const batch = join(scratch, 'batch');
  const inputs = ['alpha.nii.gz', 'beta.nii.gz'];

  beforeAll(async () => {
    mkdirSync(batch);
    for (const name of inputs) await writeNifti(labelPhantom([12, 10, 8]), join(batch, name));
  });

  const segment = async (outDir: string, ...more: string[]): Promise<{ code: number; err: string[] }> => {
    const io = captureIo();
    const code = await runCli(['segment', '--model', identityBundle, '--batch', batch, '--out-dir', outDir, '--device', 'cpu', ...more], io);
    return { code, err: io.errLines };
  };

  it('that cannot be made ends OUTPUT_WRITE_FAILED naming it (exit 1, not INTERNAL), before any case runs', async () => {
    // makeBatchOutDir's spec covers each reason; this is the command's exit and message.
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(await segment(file)).toEqual({
      code: 1,
      err: [`axial: error OUTPUT_WRITE_FAILED: ${file}: cannot make the output folder (--out-dir): something that is not a folder is already there (EEXIST)`],
    });
    expect(readdirSync(scratch).sort()).toEqual(['a-file', 'batch']);
  });

  it('that is the batch folder, here through a symlink, is refused before any case runs, with --skip-existing too', async () => {
    const link = join(scratch, 'batch-link');
    symlinkSync(batch, link);
    for (const more of [['--skip-existing'], []]) {
      expect(await segment(link, ...more)).toEqual({
        code: 1,
        err: [`axial: error OUTPUT_IS_INPUT: ${link}: --out-dir is the batch folder ${batch}: its outputs would mix with its inputs; name another folder`],
      });
    }
    // Nothing was written among the inputs: no <case>.axial.json, no summary.
    expect(readdirSync(batch).sort()).toEqual(inputs);
  });

  it("that is one of the batch folder's cases (a subfolder holding a scan) is refused before any case runs", async () => {
    const folder = join(scratch, 'with-case-folder');
    mkdirSync(join(folder, 'caseA'), { recursive: true });
    await writeNifti(labelPhantom([12, 10, 8]), join(folder, 'b.nii.gz'));
    await writeNifti(labelPhantom([12, 10, 8]), join(folder, 'caseA', 'scan.nii.gz'));
    const io = captureIo();
    const outDir = join(folder, 'caseA');
    const code = await runCli(['segment', '--model', identityBundle, '--batch', folder, '--out-dir', outDir, '--device', 'cpu'], io);
    expect({ code, err: io.errLines }).toEqual({
      code: 1,
      err: [
        `axial: error OUTPUT_IS_INPUT: ${outDir}: --out-dir is the case folder ${outDir} (it holds scan.nii.gz, not one of Axial's outputs): ` +
          'that case would be left out and the outputs written beside its scan; name another folder',
      ],
    });
    expect(readdirSync(outDir)).toEqual(['scan.nii.gz']);
  });

  it("inside the batch folder, a --skip-existing rerun after a run stopped before a case's .axial.json is not refused", async () => {
    const folder = join(scratch, 'interrupted');
    mkdirSync(folder);
    for (const name of ['a', 'b']) await writeNifti(labelPhantom([12, 10, 8]), join(folder, `${name}.nii.gz`));
    const outDir = join(folder, 'labels');
    expect((await segmentBatch(outDir, '--model', identityBundle, '--batch', folder)).code).toBe(0);
    // Killed (Slurm's --time) between b's label map and its .axial.json.
    rmSync(join(outDir, 'b.axial.json'));
    const rerun = await segmentBatch(outDir, '--model', identityBundle, '--batch', folder, '--skip-existing');
    expect({ code: rerun.code, err: rerun.err }).toEqual({ code: 0, err: expect.not.stringMatching(/OUTPUT_IS_INPUT/) });
    // Its label map is whole (outputs are only ever there whole): skipped, as --skip-existing says.
    expect(statuses(rerun.summary)).toEqual([
      ['a', 'skipped'],
      ['b', 'skipped'],
    ]);
    expect(readJson<CaseSummary>(join(outDir, 'b.axial.json')).status).toBe('skipped');
  });

  it('with --skip-existing does not take a list case whose input is its own output for a finished case', async () => {
    // A list kept in the output folder, naming an input that sits there under its output's name.
    const out = join(scratch, 'listed');
    mkdirSync(out);
    await writeNifti(labelPhantom([12, 10, 8]), join(out, 'gamma.nii.gz'));
    writeFileSync(join(out, 'cases.txt'), 'gamma.nii.gz\n');
    const io = captureIo();
    const code = await runCli(
      ['segment', '--model', identityBundle, '--batch', join(out, 'cases.txt'), '--out-dir', out, '--device', 'cpu', '--skip-existing'],
      io,
    );
    expect(code).toBe(1);
    expect(io.errLines.join('\n')).toMatch(/gamma failed: OUTPUT_IS_INPUT/);
    expect(io.errLines.join('\n')).not.toMatch(/skipped \(output exists\)/);
  });
});

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Runs `axial segment` with these arguments on the CPU; its exit code, stderr, and the batch summary if one was written. */
async function segmentBatch(outDir: string, ...argv: string[]): Promise<{ code: number; err: string; summary?: BatchSummary }> {
  const io = captureIo();
  const code = await runCli(['segment', ...argv, '--out-dir', outDir, ...(argv.includes('--device') ? [] : ['--device', 'cpu'])], io);
  const summaryFile = join(outDir, 'axial-summary.json');
  return { code, err: io.errLines.join('\n'), ...(existsSync(summaryFile) ? { summary: readJson<BatchSummary>(summaryFile) } : {}) };
}

const statuses = (summary: BatchSummary | undefined): [string, string, string?][] =>
  (summary?.results ?? []).map((r) => (r.error ? [r.case, r.status, r.error.code] : [r.case, r.status]));

describe("axial segment --batch: one case's failure is that case's", () => {
  const cases = join(scratch, 'abc');

  beforeAll(async () => {
    mkdirSync(cases);
    for (const name of ['a', 'b', 'c']) await writeNifti(labelPhantom([12, 10, 8]), join(cases, `${name}.nii.gz`));
  });

  it('with --skip-existing, a model that fails to load leaves the finished cases skipped, their .axial.json untouched', async () => {
    const out = join(scratch, 'resubmitted');
    expect((await segmentBatch(out, '--model', identityBundle, '--batch', cases)).code).toBe(0);
    rmSync(join(out, 'a.nii.gz'));
    const before = readFileSync(join(out, 'b.axial.json'), 'utf8');
    // A typo in --model: case a runs and fails, and stops the batch; b and c are finished.
    const rerun = await segmentBatch(out, '--model', join(scratch, 'no-such-bundle'), '--batch', cases, '--skip-existing');
    expect(rerun.code).toBe(1);
    expect(statuses(rerun.summary)).toEqual([
      ['a', 'failed', 'MODEL_NOT_FOUND'],
      ['b', 'skipped'],
      ['c', 'skipped'],
    ]);
    expect(readFileSync(join(out, 'b.axial.json'), 'utf8')).toBe(before);
    expect(readJson<CaseSummary>(join(out, 'c.axial.json')).status).toBe('ok');
  });

  it('a model Axial cannot run stops the batch at its first case: the later ones never run (no seconds), missing or unsupported', async () => {
    const unsupported = join(scratch, 'noise-bundle');
    cpSync(identityBundle, unsupported, { recursive: true });
    const configFile = join(unsupported, 'configs', 'inference.json');
    const config = readJson<{ preprocessing: { transforms: object[] } }>(configFile);
    config.preprocessing.transforms.splice(2, 0, { _target_: 'RandGaussianNoised', keys: 'image', prob: 1 });
    writeFileSync(configFile, JSON.stringify(config));
    for (const [model, code, message] of [
      [join(scratch, 'no-such-bundle'), 'MODEL_NOT_FOUND', /no model bundle or ONNX file here/],
      [unsupported, 'MODEL_UNSUPPORTED', /RandGaussianNoised at preprocessing\.transforms\[2\]: a random transform has no place in inference/],
    ] as const) {
      const run = await segmentBatch(join(scratch, `stopped-${code}`), '--model', model, '--batch', cases);
      expect(run.code).toBe(1);
      expect(statuses(run.summary)).toEqual([
        ['a', 'failed', code],
        ['b', 'failed', code],
        ['c', 'failed', code],
      ]);
      const [first, ...stopped] = run.summary!.results;
      expect(first!.error!.message).toMatch(message);
      expect(first!.seconds?.total).toBeGreaterThan(0);
      // Recorded from the first case's failure, not run: a case that ran (and read its scan) has its seconds.
      for (const r of stopped) expect(r).toEqual({ case: r.case, input: r.input, output: r.output, status: 'failed', error: first!.error });
    }
  });

  it('a blank case whose CropForegroundd finds no foreground fails alone (MODEL_INVALID), and the batch goes on', async () => {
    const bundle = join(scratch, 'crop-bundle');
    cpSync(identityBundle, bundle, { recursive: true });
    const configFile = join(bundle, 'configs', 'inference.json');
    const config = readJson<{ preprocessing: { transforms: object[] }; postprocessing: { transforms: object[] } }>(configFile);
    config.preprocessing.transforms.splice(2, 0, { _target_: 'CropForegroundd', keys: 'image', source_key: 'image', margin: 1 });
    config.postprocessing.transforms.push({ _target_: 'Invertd', keys: 'pred', transform: '@preprocessing', orig_keys: 'image', nearest_interp: false });
    writeFileSync(configFile, JSON.stringify(config));
    const folder = join(scratch, 'with-blank');
    mkdirSync(folder);
    const phantom = labelPhantom([12, 10, 8]);
    await writeNifti(createVolume({ ...phantom, voxels: new Int16Array(phantom.voxels.length) }), join(folder, 'a-blank.nii.gz'));
    for (const name of ['b', 'c']) await writeNifti(phantom, join(folder, `${name}.nii.gz`));
    const out = join(scratch, 'with-blank-out');
    const run = await segmentBatch(out, '--model', bundle, '--batch', folder);
    expect(run.code).toBe(1);
    expect(statuses(run.summary)).toEqual([
      ['a-blank', 'failed', 'MODEL_INVALID'],
      ['b', 'ok'],
      ['c', 'ok'],
    ]);
    expect(run.summary?.results[0]?.error?.message).toMatch(/CropForegroundd found no foreground/);
  });

  it('a case whose .axial.json cannot be written is recorded failed; the others run and the summary is written', async () => {
    const out = join(scratch, 'protected');
    mkdirSync(out);
    writeFileSync(join(out, 'b.axial.json'), '{"left": "by an earlier run"}\n');
    chmodSync(join(out, 'b.axial.json'), 0o444);
    const run = await segmentBatch(out, '--model', identityBundle, '--batch', cases);
    expect(run.code).toBe(1);
    expect(statuses(run.summary)).toEqual([
      ['a', 'ok'],
      ['b', 'failed', 'OUTPUT_WRITE_FAILED'],
      ['c', 'ok'],
    ]);
    expect(run.summary).toMatchObject({ ok: 2, failed: 1 });
    expect(readJson<CaseSummary>(join(out, 'c.axial.json')).status).toBe('ok');
  });

  it('a failed case whose .axial.json cannot be written keeps its own error, and the summary says the file is missing', async () => {
    const folder = join(scratch, 'with-corrupt');
    mkdirSync(folder);
    await writeNifti(labelPhantom([12, 10, 8]), join(folder, 'a.nii.gz'));
    writeFileSync(join(folder, 'b.nii.gz'), 'not a NIfTI file');
    const out = join(scratch, 'with-corrupt-out');
    mkdirSync(out);
    writeFileSync(join(out, 'b.axial.json'), '{"left": "by an earlier run"}\n');
    chmodSync(join(out, 'b.axial.json'), 0o444);
    const run = await segmentBatch(out, '--model', identityBundle, '--batch', folder);
    expect(run.code).toBe(1);
    const [code] = statuses(run.summary)
      .slice(1)
      .map((s) => s[2]);
    expect(code).not.toBe('OUTPUT_WRITE_FAILED');
    expect(run.summary?.results[1]?.error?.message).toMatch(/; and its \.axial\.json was not written: .*b\.axial\.json/);
    expect(run.err).toMatch(/\[2\/2\] b failed: .*; and its \.axial\.json was not written/);
  });

  it('a case that would write the sidecar of a bare .onnx kept in --out-dir is refused before any case runs', async () => {
    const out = join(scratch, 'model-here');
    mkdirSync(out);
    copyFileSync(identityOnnx, join(out, 'm.onnx'));
    const sidecar = {
      schemaVersion: 1,
      name: 'id',
      input: { channels: 1 },
      output: { channels: 4, labels: { 0: 'background', 1: 'a', 2: 'b', 3: 'c' } },
      preprocessing: [],
      inferer: { _target_: 'SlidingWindowInferer', roi_size: [16, 16, 16], sw_batch_size: 1 },
      postprocessing: [
        { _target_: 'Activationsd', softmax: true },
        { _target_: 'AsDiscreted', argmax: true },
      ],
    };
    writeFileSync(join(out, 'm.axial.json'), JSON.stringify(sidecar));
    const folder = join(scratch, 'has-m');
    mkdirSync(folder);
    for (const name of ['a', 'm']) await writeNifti(labelPhantom([12, 10, 8]), join(folder, `${name}.nii.gz`));
    const run = await segmentBatch(out, '--model', join(out, 'm.onnx'), '--batch', folder);
    expect(run).toEqual({
      code: 1,
      err:
        `axial: error OUTPUT_IS_INPUT: ${out}: case "m" would write m.axial.json, the model's own file ${join(out, 'm.axial.json')}: ` +
        'keep the model outside --out-dir or rename the case',
    });
    expect(readdirSync(out).sort()).toEqual(['m.axial.json', 'm.onnx']);
  });

  it("--out-dir that is a listed case's folder, or inside it, is refused before any case runs (OUTPUT_IS_INPUT)", async () => {
    const p1 = join(scratch, 'p1');
    mkdirSync(p1);
    await writeNifti(labelPhantom([12, 10, 8]), join(p1, 'series.nii.gz'));
    const list = join(scratch, 'folders.txt');
    writeFileSync(list, 'p1\n');
    const link = join(scratch, 'p1-link');
    symlinkSync(p1, link);
    for (const [outDir, where] of [
      [p1, 'is'],
      [link, 'is'],
      [join(link, 'labels', 'run1'), 'is inside'],
    ] as const) {
      expect(await segmentBatch(outDir, '--model', identityBundle, '--batch', list)).toEqual({
        code: 1,
        err:
          `axial: error OUTPUT_IS_INPUT: ${outDir}: --out-dir ${where} the case folder ${p1}: ` +
          'its outputs would be read as part of that case; name another folder',
      });
    }
    expect(readdirSync(p1)).toEqual(['series.nii.gz']);
  });
});
