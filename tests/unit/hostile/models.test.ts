import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { startInferenceProcess } from '../../../main/segmentation/process/runInferenceProcess.js';
import { createVolume } from '../../../main/volume/Volume.js';
import { cliErrorCode, runAxialMeasured, type MeasuredRun } from '../../runNodeMeasured.js';
import { seededRandom } from '../../seededRandom.js';
import { sqrtChannelModel } from '../segmentation/onnx/buildOnnxModel.js';
import { labelPhantom, slowBundle } from '../segmentation/process/inferenceFixtures.js';

/*
 * Hostile models and bundle configs, made here at test time, run through the
 * built CLI (`npx tsc -b` first): each must end with its coded error, quickly,
 * and without the memory it used to take. Peak memory is the CLI process's;
 * `segment` runs the network in a child whose memory is not in the figure.
 */

const scratch = mkdtempSync(join(tmpdir(), 'axial-hostile-models-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The bounds every run here must keep; before the fixes, the bundle cases took 3 GB (V8 abort) or overflowed the stack. */
function expectRefused(run: MeasuredRun, code: string, message?: RegExp): void {
  expect(cliErrorCode(run), run.stderr).toBe(code);
  expect(run.code).toBe(1);
  expect(run.timedOut).toBe(false);
  expect(run.ms).toBeLessThan(10_000);
  expect(run.peakMiB).toBeLessThan(300);
  if (message) expect(run.stderr).toMatch(message);
}

function folder(name: string): string {
  const path = join(scratch, name);
  mkdirSync(path, { recursive: true });
  return path;
}

const sidecar = {
  schemaVersion: 1,
  name: 'sqrt channel',
  input: { channels: 1 },
  output: { channels: 2, labels: { '0': 'background', '1': 'root' } },
  preprocessing: [],
  inferer: { _target_: 'SlidingWindowInferer', roi_size: [16, 16, 16], sw_batch_size: 2 },
  postprocessing: [
    { _target_: 'Activationsd', softmax: true },
    { _target_: 'AsDiscreted', argmax: true },
  ],
};

/** An .onnx with its sidecar; the bytes are whatever the test gives. */
function sidecarModel(name: string, bytes: Uint8Array): string {
  const dir = folder(name);
  const model = join(dir, 'model.onnx');
  writeFileSync(model, bytes);
  writeFileSync(join(dir, 'model.axial.json'), JSON.stringify(sidecar));
  return model;
}

/** A float image of ones, 20×24×28, with -1 at the given voxels (the model's square root is NaN there). */
async function imageWithNegatives(name: string, negatives: readonly [number, number, number][]): Promise<string> {
  const dimensions = [20, 24, 28] as const;
  const voxels = new Float32Array(20 * 24 * 28).fill(1);
  for (const [i, j, k] of negatives) voxels[i + 20 * (j + 24 * k)] = -1;
  const path = join(scratch, `${name}.nii`);
  const volume = createVolume({
    dimensions: [...dimensions],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
  await writeNifti(volume, path);
  return path;
}

describe('hostile models through axial segment', () => {
  it('refuses a network whose output is NaN in one patch, naming the patch and channel (it used to write an all-background mask)', async () => {
    const model = sidecarModel('nan', sqrtChannelModel());
    const input = await imageWithNegatives('one-negative', [[18, 3, 25]]);
    const output = join(scratch, 'nan-out.nii.gz');
    const run = await runAxialMeasured(['segment', '--model', model, '--device', 'cpu', input, output]);
    expectRefused(run, 'INFERENCE_NOT_FINITE');
    // 8 windows of 16³ (i starts 0, 4; j 0, 8; k 0, 12), two per batch; only the one at (4, 0, 12) holds voxel (18, 3, 25).
    expect(run.stderr).toContain(model);
    expect(run.stderr).toMatch(/patch 7 of 8, starting at voxel \(4, 0, 12\) of its 20×24×28 input grid/);
    expect(run.stderr).toMatch(/output channel 1: 1 NaN of 4096 values, the first at voxel \(18, 3, 25\)/);
    expect(run.stderr).toMatch(/its input is finite, so the model produced them/);
    expect(existsSync(output)).toBe(false);
  });

  it('runs the same model on an image without negatives (the check does not refuse finite output)', async () => {
    const model = sidecarModel('finite', sqrtChannelModel());
    const input = await imageWithNegatives('no-negative', []);
    const output = join(scratch, 'finite-out.nii.gz');
    const run = await runAxialMeasured(['segment', '--model', model, '--device', 'cpu', input, output]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(output)).toBe(true);
  });

  it('calls garbage bytes and a truncated protobuf MODEL_INVALID naming the file, on the CPU and under auto', async () => {
    const random = seededRandom(11);
    const garbage = sidecarModel(
      'garbage',
      Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256)),
    );
    const whole = sqrtChannelModel();
    const truncated = sidecarModel('truncated', whole.subarray(0, Math.floor(whole.length / 2)));
    const input = await imageWithNegatives('plain', []);
    for (const [model, device] of [
      [garbage, 'cpu'],
      [garbage, 'auto'],
      [truncated, 'cpu'],
    ] as const) {
      const run = await runAxialMeasured(['segment', '--model', model, '--device', device, input, join(scratch, 'never.nii.gz')]);
      expectRefused(run, 'MODEL_INVALID', /not a model onnxruntime can load/);
      expect(run.stderr).toContain(model);
    }
  });

  it('keeps INFERENCE_PROVIDER_UNAVAILABLE for a provider this build lacks, with a sound model', async () => {
    const model = sidecarModel('sound', sqrtChannelModel());
    const absent = process.platform === 'darwin' ? 'dml' : 'coreml';
    const run = await runAxialMeasured([
      'segment',
      '--model',
      model,
      '--device',
      absent,
      await imageWithNegatives('sound-in', []),
      join(scratch, 'never2.nii.gz'),
    ]);
    expectRefused(run, 'INFERENCE_PROVIDER_UNAVAILABLE', new RegExp(`${absent} execution provider cannot run here`));
  });
});

const metadata = {
  name: 'hostile',
  network_data_format: {
    inputs: { image: { num_channels: 1, channel_def: { '0': 'image' } } },
    outputs: { pred: { num_channels: 2, channel_def: { '0': 'background', '1': 'thing' } } },
  },
};

/** A bundle folder with metadata.json and the given inference.json text (no model: `bundle inspect` reads configs only). */
function bundle(name: string, inference: string | object): string {
  const root = folder(name);
  mkdirSync(join(root, 'configs'), { recursive: true });
  writeFileSync(join(root, 'configs', 'metadata.json'), JSON.stringify(metadata));
  writeFileSync(join(root, 'configs', 'inference.json'), typeof inference === 'string' ? inference : JSON.stringify(inference));
  return root;
}

function inspect(root: string): Promise<MeasuredRun> {
  return runAxialMeasured(['bundle', 'inspect', root]);
}

describe('hostile bundle configs through axial bundle inspect', () => {
  it('stops "$@a + @a" list doubling at the list cap, naming the file and key (it grew to 3 GB until V8 aborted)', async () => {
    const config: Record<string, unknown> = { a0: [1, 2, 3, 4], preprocessing: '@a40' };
    for (let n = 1; n <= 40; n++) config[`a${n}`] = `$@a${n - 1} + @a${n - 1}`;
    const root = bundle('doubling-lists', config);
    // 4 · 2^15 = 131072 items is the first list past 100000.
    expectRefused(await inspect(root), 'MODEL_INVALID', /inference\.json: at "a15": the expression builds a list of 131072 items/);
  });

  it('stops string doubling at the string cap', async () => {
    const config: Record<string, unknown> = { s0: 'abcdefgh', preprocessing: '@s60' };
    for (let n = 1; n <= 60; n++) config[`s${n}`] = `$@s${n - 1} + @s${n - 1}`;
    // 8 · 2^17 = 1048576 characters is the first string past 1000000.
    expectRefused(await inspect(bundle('doubling-strings', config)), 'MODEL_INVALID', /at "s17": the expression builds a string of 1048576 characters/);
  });

  it('stops lists of references that double a tree without copying, at the value cap', async () => {
    const config: Record<string, unknown> = { t0: [1, 2], preprocessing: '@t60' };
    for (let n = 1; n <= 60; n++) config[`t${n}`] = [`@t${n - 1}`, `@t${n - 1}`];
    expectRefused(await inspect(bundle('doubling-trees', config)), 'MODEL_INVALID', /at "t\d+": the value holds \d+ items counted as a tree/);
  });

  it('refuses 100000-deep nesting as written: lists and mappings (it overflowed the stack, exit 70)', async () => {
    const lists = `{"preprocessing": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expectRefused(await inspect(bundle('deep-lists', lists)), 'MODEL_INVALID', /"preprocessing" nests lists and mappings more than 100 deep/);
    const maps = `{"inferer": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expectRefused(await inspect(bundle('deep-maps', maps)), 'MODEL_INVALID', /"inferer" nests lists and mappings more than 100 deep/);
  });

  it('refuses 100000 brackets in an expression and a chain of 40000 references (a larger chain is past the config size cap)', async () => {
    const brackets = { preprocessing: `$${'('.repeat(100_000)}1${')'.repeat(100_000)}` };
    expectRefused(await inspect(bundle('deep-brackets', brackets)), 'MODEL_INVALID', /at "preprocessing": the expression is 200001 characters long/);
    const shallowerBrackets = { preprocessing: `$${'('.repeat(40_000)}1${')'.repeat(40_000)}` };
    expectRefused(
      await inspect(bundle('deeper-brackets', shallowerBrackets)),
      'MODEL_INVALID',
      /at "preprocessing": references and brackets nest more than 200 deep/,
    );
    const chain: Record<string, unknown> = { preprocessing: '@r0', r40000: 1 };
    for (let n = 0; n < 40_000; n++) chain[`r${n}`] = `@r${n + 1}`;
    expectRefused(await inspect(bundle('reference-chain', chain)), 'MODEL_INVALID', /at "r\d+": references and brackets nest more than 200 deep/);
  });

  it('refuses a macro whose file leads out of the bundle through a symlink, naming the macro, and never reads it', async () => {
    const outside = folder('outside');
    writeFileSync(join(outside, 'secret.json'), JSON.stringify({ transforms: ['SECRET-CONTENT'] }));
    const linkedFile = bundle('macro-linked-file', { preprocessing: '%configs/common.json#transforms' });
    symlinkSync(join(outside, 'secret.json'), join(linkedFile, 'configs', 'common.json'));
    const run = await inspect(linkedFile);
    expectRefused(run, 'INPUT_PATH_OUTSIDE_FOLDER', /macro "%configs\/common\.json#transforms" \(at preprocessing\)/);
    expect(run.stderr).toContain(join(outside, 'secret.json'));
    expect(run.stdout + run.stderr).not.toContain('SECRET-CONTENT');

    const linkedFolder = bundle('macro-linked-folder', { preprocessing: '%configs/shared/secret.json#transforms' });
    symlinkSync(outside, join(linkedFolder, 'configs', 'shared'));
    expectRefused(await inspect(linkedFolder), 'INPUT_PATH_OUTSIDE_FOLDER', /macro "%configs\/shared\/secret\.json#transforms"/);

    const absolute = bundle('macro-absolute', { preprocessing: `%${join(outside, 'secret.json')}#transforms` });
    expectRefused(await inspect(absolute), 'INPUT_PATH_OUTSIDE_FOLDER');
  });

  it.skipIf(process.platform === 'win32')('refuses a macro file that is a FIFO instead of blocking on it', async () => {
    const root = bundle('macro-fifo', { preprocessing: '%configs/common.json#transforms' });
    execFileSync('mkfifo', [join(root, 'configs', 'common.json')]);
    expectRefused(await inspect(root), 'INPUT_NOT_A_FILE', /FIFO/);
  });

  // Each use used to re-check the other file's nesting outside the step budget: 2000 uses passed 120 s.
  it('stops 2000 uses of a macro naming a 300000-item list at the step budget', async () => {
    const uses = Object.fromEntries(Array.from({ length: 2000 }, (_, n) => [`u${n}`, '%configs/big.json#items']));
    const root = bundle('macro-many-uses', uses);
    writeFileSync(join(root, 'configs', 'big.json'), JSON.stringify({ items: new Array(300_000).fill(0) }));
    expectRefused(await inspect(root), 'MODEL_INVALID', /inference\.json/);
  });
});

describe('a bundle whose settings ask for more than a process can hold', () => {
  const postprocessing = {
    _target_: 'Compose',
    transforms: [
      { _target_: 'Activationsd', keys: 'pred', softmax: true },
      { _target_: 'AsDiscreted', keys: 'pred', argmax: true },
    ],
  };
  /** A bundle of the Sqrt network with these preprocessing transforms and sliding-window settings. */
  function settingsBundle(name: string, transforms: object[], inferer: object): string {
    const root = bundle(name, {
      preprocessing: { _target_: 'Compose', transforms },
      inferer: { _target_: 'SlidingWindowInferer', ...inferer },
      postprocessing,
    });
    mkdirSync(join(root, 'models'));
    writeFileSync(join(root, 'models', 'model.onnx'), sqrtChannelModel());
    return root;
  }
  const segment = async (root: string, name: string): Promise<MeasuredRun> =>
    runAxialMeasured(['segment', '--model', root, '--device', 'cpu', await imageWithNegatives(`${name}-in`, []), join(scratch, `${name}.nii.gz`)]);
  const roi = { roi_size: [16, 16, 16], sw_batch_size: 1 };

  // Every bound below holds for the whole process tree: runAxialMeasured counts the inference child too.
  it('roi_size 100000³: MODEL_UNSUPPORTED naming it, at once', async () => {
    const run = await segment(settingsBundle('huge-roi', [], { roi_size: [100_000, 100_000, 100_000], sw_batch_size: 1 }), 'huge-roi');
    expectRefused(run, 'MODEL_UNSUPPORTED', /roi_size 100000×100000×100000 .* larger than both 256³ and the 20×24×28 image/);
  });

  // Before: a 12³ scan at pixdim 0.012 mm ran 193 s and reached 6.6 GB (a 1000³ grid), then "succeeded".
  it('Spacingd pixdim 0.02 mm on a 1 mm scan: VOLUME_TOO_LARGE before resampling', async () => {
    const spacing = { _target_: 'Spacingd', keys: 'image', pixdim: [0.02, 0.02, 0.02], mode: 'bilinear' };
    const run = await segment(settingsBundle('fine-pixdim', [spacing], roi), 'fine-pixdim');
    expectRefused(run, 'VOLUME_TOO_LARGE', /Spacingd \(pixdim 0\.02×0\.02×0\.02 mm\) would make a 951×1151×1351 grid from this 20×24×28 scan/);
  });

  it('ResizeWithPadOrCropd to 2000³: VOLUME_TOO_LARGE before padding', async () => {
    const resize = { _target_: 'ResizeWithPadOrCropd', keys: 'image', spatial_size: [2000, 2000, 2000] };
    const run = await segment(settingsBundle('huge-pad', [resize], roi), 'huge-pad');
    expectRefused(run, 'VOLUME_TOO_LARGE', /ResizeWithPadOrCropd would make a 2000×2000×2000 grid/);
  });

  it('sw_batch_size 10⁹: capped (the result of MONAI does not depend on it), and the run succeeds in bounded memory', async () => {
    const run = await segment(settingsBundle('huge-batch', [], { roi_size: [16, 16, 16], sw_batch_size: 1_000_000_000 }), 'huge-batch');
    expect(run.code, run.stderr).toBe(0);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.peakMiB).toBeLessThan(400);
  });
});

describe('an inference process killed from outside', () => {
  it('is INFERENCE_CRASHED naming SIGKILL (it was read as INFERENCE_OUT_OF_MEMORY)', async () => {
    const started = performance.now();
    const worker = startInferenceProcess();
    let killed = false;
    const error = await worker
      .segment(
        { type: 'segment', volume: labelPhantom([96, 96, 96]), modelPath: slowBundle, device: 'cpu' },
        {
          onProgress: () => {
            if (killed) return;
            killed = true;
            // Another program's kill, not the supervisor's.
            execFileSync('kill', ['-KILL', String(worker.pid)]);
          },
        },
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(killed).toBe(true);
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('INFERENCE_CRASHED');
    expect((error as AxialError).message).toMatch(/killed by SIGKILL from outside Axial/);
    expect(worker.alive).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
