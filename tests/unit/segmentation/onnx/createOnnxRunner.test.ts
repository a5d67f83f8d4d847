import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { createOnnxRunner, providerOrder, type InferenceDevice } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { fixed32Onnx, identityOnnx, identitySpec } from '../process/inferenceFixtures.js';
import { sqrtChannelModel } from './buildOnnxModel.js';

/** A batch of patches whose voxels are labels 0..3, and the argmax the identity model must give back. */
function labelPatches(count: number, size: number): Float32Array {
  const data = new Float32Array(count * size ** 3);
  for (let n = 0; n < data.length; n++) data[n] = (n * 7 + Math.floor(n / 11)) % 4;
  return data;
}

function argmax(output: Float32Array, count: number, channels: number, patch: number): Float32Array {
  const labels = new Float32Array(count * patch);
  for (let b = 0; b < count; b++) {
    for (let v = 0; v < patch; v++) {
      let best = 0;
      for (let c = 1; c < channels; c++) if (output[(b * channels + c) * patch + v]! > output[(b * channels + best) * patch + v]!) best = c;
      labels[b * patch + v] = best;
    }
  }
  return labels;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  return (error as AxialError).code;
}

describe('providerOrder', () => {
  it('tries the platform GPU providers, then WebGPU, then the CPU', () => {
    expect(providerOrder('auto', 'linux')).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'win32')).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'darwin')).toEqual(['coreml', 'webgpu', 'cpu']);
    expect(providerOrder('webgpu', 'linux')).toEqual(['webgpu']);
  });
});

describe('createOnnxRunner', () => {
  it('under auto, runs on the first provider that loads and says why each one before it was skipped', async () => {
    const runner = await createOnnxRunner(identityOnnx, 'auto', identitySpec());
    try {
      const order = providerOrder('auto');
      const before = order.slice(0, order.indexOf(runner.provider));
      expect(order).toContain(runner.provider);
      expect(runner.skipped.map((s) => s.provider)).toEqual(before);
      for (const s of runner.skipped) expect(s.reason.length).toBeGreaterThan(5);
      if (runner.provider === 'cpu') expect(runner.skipped.find((s) => s.provider === 'webgpu')?.reason).toBeTruthy();
      console.info(`auto ran on ${runner.provider}; skipped ${JSON.stringify(runner.skipped)}`);
    } finally {
      await runner.release();
    }
  });

  it('reads the input and output names from the session and runs a batch on the CPU', async () => {
    const runner = await createOnnxRunner(identityOnnx, 'cpu', identitySpec());
    try {
      expect(runner).toMatchObject({ provider: 'cpu', skipped: [], inputName: 'input_0', outputName: 'output_0', fixedBatch: null });
      const input = labelPatches(3, 16);
      const output = await runner.runBatch(input, 3, [16, 16, 16]);
      expect(output.length).toBe(3 * 4 * 16 ** 3);
      expect(argmax(output, 3, 4, 16 ** 3)).toEqual(input);
    } finally {
      await runner.release();
    }
  });

  it('returns onnxruntime’s own array for each call, and lets it go at the next call or at trim', async () => {
    const runner = await createOnnxRunner(identityOnnx, 'cpu', identitySpec());
    try {
      const first = labelPatches(3, 16);
      const a = await runner.runBatch(first, 3, [16, 16, 16]);
      expect(argmax(a, 3, 4, 16 ** 3)).toEqual(first);
      const second = labelPatches(2, 16).map((label) => 3 - label);
      const b = await runner.runBatch(second, 2, [16, 16, 16]);
      // The first output is gone at once (detached), not left to the garbage collector: 371 MB at 105 classes.
      expect(a.length).toBe(0);
      expect(b.length).toBe(2 * 4 * 16 ** 3);
      expect(argmax(b, 2, 4, 16 ** 3)).toEqual(second);
      // Between requests the inference process lets the last output go too.
      runner.trim();
      expect(b.length).toBe(0);
      const c = await runner.runBatch(first, 3, [16, 16, 16]);
      expect(argmax(c, 3, 4, 16 ** 3)).toEqual(first);
    } finally {
      await runner.release();
    }
  });

  it('feeds a fixed-batch model batches of its own size, padding the last', async () => {
    const runner = await createOnnxRunner(fixed32Onnx, 'cpu', identitySpec({ modelPath: fixed32Onnx, roi: 32, swBatchSize: 3 }));
    try {
      expect(runner).toMatchObject({ inputName: 'x', outputName: 'logits', fixedBatch: 1 });
      const input = labelPatches(3, 32);
      const output = await runner.runBatch(input, 3, [32, 32, 32]);
      expect(argmax(output, 3, 4, 32 ** 3)).toEqual(input);
    } finally {
      await runner.release();
    }
  });

  it('refuses a fixed-shape model whose ROI differs, before any patch, naming both shapes', async () => {
    const error = await createOnnxRunner(fixed32Onnx, 'cpu', identitySpec({ modelPath: fixed32Onnx, roi: 16 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('MODEL_SHAPE_MISMATCH');
    expect((error as AxialError).message).toMatch(/input "x" x is 32, expected 16/);
    expect((error as AxialError).message).toMatch(/\[1, 1, 32, 32, 32\]/);
  });

  it('refuses a model whose output channels differ from the spec, even with dynamic axes', async () => {
    const error = await createOnnxRunner(identityOnnx, 'cpu', identitySpec({ outputChannels: 3 })).catch((e: unknown) => e);
    expect((error as AxialError).code).toBe('MODEL_SHAPE_MISMATCH');
    expect((error as AxialError).message).toMatch(/output "output_0" channels is 4, expected 3/);
  });

  it('reports a named device that cannot load as INFERENCE_PROVIDER_UNAVAILABLE with the reason', async () => {
    const builtIn = ort.listSupportedBackends().map((b) => b.name);
    const absent = ['dml', 'coreml'].find((p) => !builtIn.includes(p));
    if (absent) {
      const error = await createOnnxRunner(identityOnnx, absent as 'dml', identitySpec()).catch((e: unknown) => e);
      expect((error as AxialError).code).toBe('INFERENCE_PROVIDER_UNAVAILABLE');
      expect((error as AxialError).message).toMatch(/not built into onnxruntime-node/);
    }
    const cuda = await createOnnxRunner(identityOnnx, 'cuda', identitySpec()).catch((e: unknown) => e);
    if (cuda instanceof AxialError) expect(cuda.code).toBe('INFERENCE_PROVIDER_UNAVAILABLE');
    else await (cuda as { release(): Promise<void> }).release();
  });

  it('says MODEL_NOT_FOUND for a missing file', async () => {
    expect(await codeOf(createOnnxRunner('/nonexistent/model.onnx', 'cpu', identitySpec()))).toBe('MODEL_NOT_FOUND');
  });

  it('says MODEL_INVALID, naming the file, for bytes onnxruntime cannot load, on every device that gets to try', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-broken-onnx-'));
    const garbage = join(folder, 'garbage.onnx');
    writeFileSync(garbage, Buffer.from('this is not a protobuf model, only text that claims to be one'.repeat(20)));
    const whole = sqrtChannelModel();
    const truncated = join(folder, 'truncated.onnx');
    writeFileSync(truncated, whole.subarray(0, whole.length - 9));
    const builtIn = ort.listSupportedBackends().map((b) => b.name);
    // webgpu is built on Linux and Windows but finds no adapter here: the CPU then decides whether the file is at fault.
    const devices: InferenceDevice[] = ['cpu', 'auto', ...(builtIn.includes('webgpu') ? (['webgpu'] as const) : [])];
    for (const file of [garbage, truncated]) {
      for (const device of devices) {
        const error = await createOnnxRunner(file, device, identitySpec({ modelPath: file })).catch((e: unknown) => e);
        expect(error, `${file} on ${device}`).toBeInstanceOf(AxialError);
        expect((error as AxialError).code, `${file} on ${device}`).toBe('MODEL_INVALID');
        expect((error as AxialError).message).toMatch(new RegExp(`^${file}: not a model onnxruntime can load: `));
      }
    }
  });

  it('runs a model written by hand (the hostile-model tests build theirs the same way)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-hand-onnx-'));
    const file = join(folder, 'sqrt.onnx');
    writeFileSync(file, sqrtChannelModel());
    const runner = await createOnnxRunner(file, 'cpu', identitySpec({ modelPath: file, outputChannels: 2 }));
    try {
      const output = await runner.runBatch(
        Float32Array.from({ length: 16 ** 3 }, (_, n) => (n === 5 ? -4 : 4)),
        1,
        [16, 16, 16],
      );
      expect(output[0]).toBe(4);
      expect(output[16 ** 3]).toBe(2);
      expect(output[16 ** 3 + 5]).toBeNaN();
    } finally {
      await runner.release();
    }
  });
});
