import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../../main/segmentation/ModelSpec.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { identitySpec } from '../process/inferenceFixtures.js';
import { buildOnnxModel, type OnnxDim } from './buildOnnxModel.js';
import { axialRejection } from '../../../expectAxialError.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-slice-onnx-'));

/**
 * [N, C, ...spatial] → [N, 2C, ...spatial]: the image's channels, then their negations; every dimension as given.
 * Channels last: [N, ...spatial, C] → [N, ...spatial, 2C], as tf2onnx exports a Keras model.
 */
function signModel(name: string, spatial: readonly OnnxDim[], batch: OnnxDim = 'N', channelsLast = false, channels = 1): string {
  const file = join(folder, `${name}.onnx`);
  const shape = (c: number): OnnxDim[] => (channelsLast ? [batch, ...spatial, c] : [batch, c, ...spatial]);
  const bytes = buildOnnxModel({
    nodes: [
      { op: 'Neg', inputs: ['x'], outputs: ['negated'] },
      { op: 'Concat', inputs: ['x', 'negated'], outputs: ['y'], attributes: { axis: channelsLast ? spatial.length + 1 : 1 } },
    ],
    input: { name: 'x', shape: shape(channels) },
    output: { name: 'y', shape: shape(2 * channels) },
  });
  writeFileSync(file, bytes);
  return file;
}

function sliceSpec(modelPath: string, roiSize: readonly [number, number, number], sliceAxis: 0 | 1 | 2 | undefined, inputChannels = 1): ModelSpec {
  const base = identitySpec({ modelPath, outputChannels: 2 * inputChannels });
  return { ...base, input: { channels: inputChannels }, inferer: { ...base.inferer, roiSize, ...(sliceAxis === undefined ? {} : { sliceAxis }) } };
}

/** What the sign model gives channels first: each patch's channels, then their negations. */
function expectedSigns(input: Float32Array, count: number, channels: number, voxels: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < count; b++) {
    const patch = Array.from(input.subarray(b * channels * voxels, (b + 1) * channels * voxels));
    out.push(...patch, ...patch.map((v) => -v));
  }
  return out;
}

const dynamic2d = signModel('dynamic2d', ['H', 'W']);
const fixed2d = signModel('fixed2d', [8, 6], 1);
const dynamic3d = signModel('dynamic3d', ['X', 'Y', 'Z']);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('createOnnxRunner with a 2D network (MONAI SliceInferer)', () => {
  it.each([
    [0, [1, 5, 7]],
    [1, [5, 1, 7]],
    [2, [5, 7, 1]],
  ] as const)('feeds windows one slice thick across axis %i as [N, C, h, w] and reads [N, K, x, y, z] back', async (axis, roi) => {
    const runner = await createOnnxRunner(dynamic2d, 'cpu', sliceSpec(dynamic2d, roi, axis));
    try {
      const count = 3;
      const voxels = roi[0] * roi[1] * roi[2];
      const input = Float32Array.from({ length: count * voxels }, (_, n) => n * 0.5 - 7);
      const output = await runner.runBatch(input, count, roi);
      expect(output.length).toBe(count * 2 * voxels);
      for (let b = 0; b < count; b++) {
        const patch = input.subarray(b * voxels, (b + 1) * voxels);
        expect(Array.from(output.subarray(2 * b * voxels, (2 * b + 1) * voxels))).toEqual(Array.from(patch));
        expect(Array.from(output.subarray((2 * b + 1) * voxels, (2 * b + 2) * voxels))).toEqual(Array.from(patch, (v) => -v));
      }
    } finally {
      await runner.release();
    }
  });

  it('runs a model exported with a fixed batch of 1 and a fixed 8×6 slice on batches of 3', async () => {
    const spec = sliceSpec(fixed2d, [1, 8, 6], 0);
    const runner = await createOnnxRunner(fixed2d, 'cpu', spec);
    try {
      expect(runner.fixedBatch).toBe(1);
      const input = Float32Array.from({ length: 3 * 48 }, (_, n) => n);
      const output = await runner.runBatch(input, 3, [1, 8, 6]);
      expect(output[2 * 48 + 5]).toBe(48 + 5);
      expect(output[5 * 48 + 47]).toBe(-(2 * 48 + 47));
    } finally {
      await runner.release();
    }
  });

  it('refuses a 2D model whose fixed slice differs from roi_size, naming the axis and the file', async () => {
    const error = await axialRejection(createOnnxRunner(fixed2d, 'cpu', sliceSpec(fixed2d, [8, 1, 5], 1)));
    expect(error.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(error.file).toBe(fixed2d);
    expect(error.message).toContain('input "x" z is 6, expected 5');
    expect(error.message).toContain('the spec needs [N, 1, 8, 5] → [N, 2, 8, 5]');
  });

  it('refuses a 2D model for a 3D sliding window, and a 3D model for slices, naming the file', async () => {
    const flat = await axialRejection(createOnnxRunner(dynamic2d, 'cpu', sliceSpec(dynamic2d, [16, 16, 16], undefined)));
    expect(flat.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(flat.file).toBe(dynamic2d);
    expect(flat.message).toContain("a 2D network ([N, C, h, w]), but the bundle's inferer slides a 3D window");
    const deep = await axialRejection(createOnnxRunner(dynamic3d, 'cpu', sliceSpec(dynamic3d, [16, 16, 1], 2)));
    expect(deep.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(deep.file).toBe(dynamic3d);
    expect(deep.message).toContain("a 3D network ([N, C, x, y, z]), but the bundle's SliceInferer feeds it 2D slices across axis 2");
  });

  it.each([
    ['2D, one channel', ['H', 'W'], 2, [5, 7, 1], 1],
    ['2D, two channels', [5, 7], 0, [1, 5, 7], 2],
    ['3D, one channel', ['X', 'Y', 'Z'], undefined, [3, 4, 5], 1],
  ] as const)(
    'runs a channels-last model (%s) as tf2onnx exports a Keras one: fed [N, ..., C], its output read back channels first',
    async (_what, spatial, axis, roi, channels) => {
      const file = signModel(`last-${spatial.length}d-${channels}`, spatial, 'N', true, channels);
      const runner = await createOnnxRunner(file, 'cpu', sliceSpec(file, roi, axis, channels));
      try {
        expect(runner.layout).toBe('channels-last');
        const count = 3;
        const voxels = roi[0] * roi[1] * roi[2];
        const input = Float32Array.from({ length: count * channels * voxels }, (_, n) => n * 0.25 - 9);
        const output = await runner.runBatch(input, count, roi);
        expect(Array.from(output)).toEqual(expectedSigns(input, count, channels, voxels));
      } finally {
        await runner.release();
      }
    },
  );

  it('names a channels-last model whose slice differs from roi_size in its own order', async () => {
    const file = signModel('last-fixed', [8, 6], 1, true);
    const error = await axialRejection(createOnnxRunner(file, 'cpu', sliceSpec(file, [8, 5, 1], 2)));
    expect(error.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(error.message).toContain('input "x" y is 6, expected 5');
    expect(error.message).toContain('the spec needs [N, 8, 5, 1] → [N, 8, 5, 2] (channels last)');
  });

  it('refuses a window thicker than one slice (a caller that ignored the slice axis)', async () => {
    const runner = await createOnnxRunner(dynamic2d, 'cpu', sliceSpec(dynamic2d, [4, 4, 1], 2));
    try {
      const error = await axialRejection(runner.runBatch(new Float32Array(32), 1, [4, 4, 2]));
      expect(error.code).toBe('INFERENCE_FAILED');
    } finally {
      await runner.release();
    }
  });
});
