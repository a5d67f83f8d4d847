import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runSegment } from '../../../main/cli/runSegment.js';
import type { BatchSummary } from '../../../main/cli/runSegmentBatch.js';
import type { CaseSummary } from '../../../main/cli/writeSegmentCase.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { writeNrrd } from '../../../main/nrrd/writeNrrd.js';
import { volumeToRasAffine } from '../../../main/volume/volumeTransforms.js';
import { crashingChild, identityBundle, labelPhantom } from '../segmentation/process/inferenceFixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-segment-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const quiet = { progress: { isTTY: false, write: () => true } };
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** nibabel's reading of a NIfTI: shape, dtype, intent and a voxel checksum; null when Debian's Python lacks nibabel. */
function nibabelRead(path: string): { shape: number[]; dtype: string; intent: number; sum: number; affine: number[][] } | null {
  const script = `import json, sys, nibabel as nib, numpy as np
img = nib.load(sys.argv[1]); data = np.asarray(img.dataobj)
print(json.dumps({"shape": list(img.shape), "dtype": str(data.dtype), "intent": int(img.header["intent_code"]),
                  "sum": int(data.astype(np.int64).sum()), "affine": img.affine.tolist()}))`;
  const run = spawnSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' });
  if (run.status !== 0) return null;
  return JSON.parse(run.stdout) as { shape: number[]; dtype: string; intent: number; sum: number; affine: number[][] };
}

describe('axial segment <input> <output>', () => {
  it('writes the labels with the source affine and prints a JSON summary', async () => {
    const phantom = labelPhantom();
    const input = join(scratch, 'single.nii.gz');
    const output = join(scratch, 'single-labels.nii.gz');
    await writeNifti(phantom, input);
    const io = captureIo();
    const drawn: string[] = [];
    const code = await runSegment(['--model', identityBundle, input, output, '--device', 'cpu', '--json'], io, {
      progress: { isTTY: true, write: (t) => drawn.push(t) },
    });
    expect(code).toBe(0);
    const summary = JSON.parse(io.outLines.join('\n')) as CaseSummary;
    expect(summary).toMatchObject({ status: 'ok', provider: 'cpu', skippedProviders: [] });
    const counts = [1, 2, 3].map((v) => phantom.voxels.filter((x) => x === v).length);
    expect(summary.segments).toEqual(
      ['liver', 'spleen', 'kidney'].map((name, n) => ({ value: n + 1, name, voxels: counts[n], volumeMl: Number(((counts[n]! * 3) / 1000).toFixed(3)) })),
    );
    for (const stage of ['loadInput', 'loadModel', 'preprocess', 'inference', 'network', 'postprocess', 'write', 'total']) {
      expect(summary.seconds).toHaveProperty(stage);
    }
    expect(drawn.some((t) => /\[#+\] 8\/8 patches .* elapsed .* left/.test(t))).toBe(true);
    expect(io.errLines[0]).toBe('axial: ran on cpu');

    const { volume } = await readNifti(output);
    expect(Array.from(volume.voxels)).toEqual(Array.from(phantom.voxels));
    expect(volumeToRasAffine(volume)).toEqual(volumeToRasAffine(phantom));
    const nib = nibabelRead(output);
    if (!nib) console.warn('nibabel is not available to /usr/bin/python3: skipping the check against it');
    else {
      expect(nib).toMatchObject({ shape: [20, 24, 28], dtype: 'uint8', intent: 1002, sum: counts[0]! + 2 * counts[1]! + 3 * counts[2]! });
      const affine = volumeToRasAffine(phantom);
      nib.affine.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(affine[r]![c]!, 4)));
    }
  });

  it('refuses bad arguments as CLI_USAGE before running anything', async () => {
    const io = captureIo();
    const usage = async (argv: string[]): Promise<string> =>
      (await runSegment(argv, io, quiet).catch((e: AxialError) => e)) instanceof AxialError ? 'thrown' : 'ran';
    for (const argv of [
      ['in.nii', 'out.nii.gz'],
      ['--model', identityBundle, 'in.nii', 'out.nii.gz', '--device', 'tpu'],
      ['--model', identityBundle, 'in.nii', 'out.nii.gz', '--shard', '1/2'],
      ['--model', identityBundle, '--batch', scratch],
      ['--model', identityBundle, '--batch', scratch, '--out-dir', join(scratch, 'o'), '--shard', '3/2'],
    ]) {
      expect(await usage(argv)).toBe('thrown');
    }
    const wrongFormat = await runSegment(['--model', identityBundle, 'in.nii', 'out.nrrd'], io, quiet).catch((e: AxialError) => e);
    expect((wrongFormat as AxialError).code).toBe('OUTPUT_UNSUPPORTED_FORMAT');
  });
});

describe('axial segment --batch', () => {
  const batch = join(scratch, 'batch');
  const outDir = join(batch, 'out');
  const threeCases = join(scratch, 'three.txt');
  const phantoms = { alpha: labelPhantom([20, 24, 28]), beta: labelPhantom([18, 17, 16], [0.8, 0.8, 2.5]) };

  beforeAll(async () => {
    mkdirSync(batch, { recursive: true });
    await writeNifti(phantoms.alpha, join(batch, 'alpha.nii.gz'));
    await writeNrrd(phantoms.beta, join(batch, 'beta.nrrd'));
    writeFileSync(join(batch, 'broken.nii.gz'), Buffer.from('this is not a gzip stream, nor a NIfTI'));
    writeFileSync(join(batch, 'notes.txt'), 'not a case');
    writeFileSync(threeCases, ['alpha.nii.gz', 'beta.nrrd', 'broken.nii.gz'].map((f) => join(batch, f)).join('\n'));
  });

  it('records a corrupt case and goes on with the others (exit code 1)', async () => {
    const io = captureIo();
    const code = await runSegment(['--model', identityBundle, '--batch', batch, '--out-dir', outDir, '--device', 'cpu', '--json'], io, quiet);
    expect(code).toBe(1);
    const summary = JSON.parse(io.outLines.join('\n')) as BatchSummary;
    expect(summary).toMatchObject({ cases: 3, ok: 2, failed: 1, skipped: 0, shard: null });
    expect(summary.results.map((r) => [r.case, r.status])).toEqual([
      ['alpha', 'ok'],
      ['beta', 'ok'],
      ['broken', 'failed'],
    ]);
    expect(readJson<BatchSummary>(join(outDir, 'axial-summary.json')).failed).toBe(1);
    const broken = readJson<CaseSummary>(join(outDir, 'broken.axial.json'));
    expect(broken.status).toBe('failed');
    expect(broken.error?.code).toMatch(/^NIFTI_/);
    expect(existsSync(join(outDir, 'broken.nii.gz'))).toBe(false);
    for (const name of ['alpha', 'beta'] as const) {
      expect(readJson<CaseSummary>(join(outDir, `${name}.axial.json`))).toMatchObject({ status: 'ok', provider: 'cpu' });
      const { volume } = await readNifti(join(outDir, `${name}.nii.gz`));
      expect(Array.from(volume.voxels)).toEqual(Array.from(phantoms[name].voxels));
      const nib = nibabelRead(join(outDir, `${name}.nii.gz`));
      if (nib) expect(nib.shape).toEqual([...phantoms[name].dimensions]);
    }
  });

  it('--skip-existing leaves finished cases alone and retries the failed one', async () => {
    const before = statSync(join(outDir, 'alpha.nii.gz')).mtimeMs;
    const io = captureIo();
    const code = await runSegment(['--model', identityBundle, '--batch', batch, '--out-dir', outDir, '--skip-existing', '--json'], io, quiet);
    expect(code).toBe(1);
    const summary = JSON.parse(io.outLines.join('\n')) as BatchSummary;
    expect(summary).toMatchObject({ ok: 0, skipped: 2, failed: 1 });
    expect(statSync(join(outDir, 'alpha.nii.gz')).mtimeMs).toBe(before);
    expect(readJson<CaseSummary>(join(outDir, 'alpha.axial.json')).status).toBe('ok');
  });

  it('--shard i/n splits a list deterministically and writes its own summary', async () => {
    const cases = join(scratch, 'cases');
    mkdirSync(cases, { recursive: true });
    const names = ['e', 'c', 'a', 'd', 'b'];
    for (const name of names) await writeNifti(labelPhantom([16, 16, 16]), join(cases, `${name}.nii`));
    const list = join(scratch, 'list.txt');
    writeFileSync(list, ['# cases, in any order', ...names.map((n, i) => (i % 2 ? `cases/${n}.nii` : join(cases, `${n}.nii`))), ''].join('\n'));
    const out = join(scratch, 'sharded');
    const io = captureIo();
    expect(await runSegment(['--model', identityBundle, '--batch', list, '--out-dir', out, '--shard', '2/3'], io, quiet)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['axial-summary.shard-2-of-3.json', 'b.axial.json', 'b.nii.gz', 'e.axial.json', 'e.nii.gz']);
    expect(readJson<BatchSummary>(join(out, 'axial-summary.shard-2-of-3.json')).shard).toEqual({ index: 2, count: 3 });
  });

  it('a crashing inference process fails each case clearly and the batch still ends', async () => {
    const io = captureIo();
    const out = join(scratch, 'crashed');
    const code = await runSegment(['--model', identityBundle, '--batch', threeCases, '--out-dir', out], io, {
      ...quiet,
      inference: crashingChild('exit'),
    });
    expect(code).toBe(1);
    const summary = readJson<BatchSummary>(join(out, 'axial-summary.json'));
    expect(summary.results.map((r) => r.error?.code)).toEqual(['INFERENCE_CRASHED', 'INFERENCE_CRASHED', 'INFERENCE_CRASHED']);
  });

  it('stops at a model that cannot load, marking every case', async () => {
    const io = captureIo();
    const out = join(scratch, 'nomodel');
    const code = await runSegment(['--model', join(scratch, 'no-such-bundle'), '--batch', threeCases, '--out-dir', out], io, quiet);
    expect(code).toBe(1);
    const summary = readJson<BatchSummary>(join(out, 'axial-summary.json'));
    expect(summary.failed).toBe(3);
    expect(new Set(summary.results.map((r) => r.error?.code))).toEqual(new Set(['MODEL_NOT_FOUND']));
    // Only the first case ran; the stop recorded the others unrun, with no seconds.
    expect(summary.results.map((r) => r.seconds !== undefined)).toEqual([true, false, false]);
  });
});
