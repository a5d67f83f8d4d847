import { describe, expect, it } from 'vitest';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { createOnnxRunnerInWorker } from '../../../../main/segmentation/onnx/createOnnxRunnerInWorker.js';
import { segmentVolume } from '../../../../main/segmentation/segmentVolume.js';
import { fixed32Onnx, identityOnnx, identitySpec, labelPhantom } from '../process/inferenceFixtures.js';
import { axialRejection } from '../../../expectAxialError.js';

/** Patches whose voxels are labels 0..3, a different pattern per `seed`. */
function labelPatches(count: number, seed: number): Float32Array {
  return Float32Array.from({ length: count * 16 ** 3 }, (_, n) => (n * 7 + Math.floor(n / (11 + seed))) % 4);
}

describe('createOnnxRunnerInWorker', () => {
  it('gives the in-process runner’s outputs bit for bit, and keeps each until three calls after it', async () => {
    const spec = identitySpec();
    const local = await createOnnxRunner(identityOnnx, 'cpu', spec);
    const runner = await createOnnxRunnerInWorker(identityOnnx, 'cpu', spec);
    try {
      expect(runner).toMatchObject({ provider: 'cpu', inputName: 'input_0', outputName: 'output_0', fixedBatch: null, overlapping: true, ahead: 3 });
      const inputs = [labelPatches(3, 0), labelPatches(3, 1), labelPatches(2, 2), labelPatches(1, 3)];
      const expected: number[][] = [];
      for (const input of inputs) expected.push(Array.from(await local.runBatch(input, input.length / 16 ** 3, [16, 16, 16])));
      // Three calls in flight at once, as the sliding window makes them; the input is the caller's again at once.
      const first = runner.runBatch(inputs[0]!, 3, [16, 16, 16]);
      const second = runner.runBatch(inputs[1]!, 3, [16, 16, 16]);
      const third = runner.runBatch(inputs[2]!, 2, [16, 16, 16]);
      inputs[0]!.fill(9);
      const a = await first;
      expect(Array.from(a)).toEqual(expected[0]);
      const [b, c] = await Promise.all([second, third]);
      const d = await runner.runBatch(inputs[3]!, 1, [16, 16, 16]);
      // Call 4 sent call 1's array back to the worker to be dropped (detached here); calls 2 and 3 are intact.
      expect(a.length).toBe(0);
      expect(Array.from(b)).toEqual(expected[1]);
      expect(Array.from(c)).toEqual(expected[2]);
      expect(Array.from(d)).toEqual(expected[3]);
      expect(runner.networkSeconds()).toBeGreaterThan(0);
      // trim lets go of the outputs held: they are detached here at once.
      runner.trim();
      expect(b.length + c.length + d.length).toBe(0);
      const again = await runner.runBatch(labelPatches(3, 0), 3, [16, 16, 16]);
      expect(Array.from(again)).toEqual(expected[0]);
    } finally {
      await local.release();
      await runner.release();
    }
  });

  it('keeps the error codes and files of createOnnxRunner, at opening and at each call', async () => {
    const missing = await axialRejection(createOnnxRunnerInWorker('/nonexistent/model.onnx', 'cpu', identitySpec({ modelPath: '/nonexistent/model.onnx' })));
    expect(missing.code).toBe('MODEL_NOT_FOUND');
    expect(missing.file).toBe('/nonexistent/model.onnx');
    const shape = await axialRejection(createOnnxRunnerInWorker(fixed32Onnx, 'cpu', identitySpec({ modelPath: fixed32Onnx, roi: 16 })));
    expect(shape.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(shape.message).toContain(fixed32Onnx);
    const runner = await createOnnxRunnerInWorker(identityOnnx, 'cpu', identitySpec());
    // A patch of the wrong size: onnxruntime refuses it, and the runner goes on to the next call.
    const failed = await axialRejection(runner.runBatch(new Float32Array(100), 1, [16, 16, 16]));
    expect(failed).toMatchObject({ code: 'INFERENCE_FAILED', file: identityOnnx });
    expect((await runner.runBatch(labelPatches(1, 0), 1, [16, 16, 16])).length).toBe(4 * 16 ** 3);
    expect(runner.alive()).toBe(true);
    await runner.release();
    expect(runner.alive()).toBe(false);
    expect((await axialRejection(runner.runBatch(labelPatches(1, 0), 1, [16, 16, 16]))).code).toBe('INFERENCE_FAILED');
  });

  it('lets the scan’s voxels go once preprocessed when asked (releaseVoxels), with the same labels', async () => {
    const spec = identitySpec();
    // 64×64×130 int16: 1.0 MiB, the least that is let go of.
    const volume = labelPhantom([64, 64, 130]);
    const runner = await createOnnxRunnerInWorker(identityOnnx, 'cpu', spec);
    try {
      const kept = await segmentVolume({ volume, spec, runBatch: runner.runBatch, overlapping: runner });
      expect(volume.voxels.length).toBe(64 * 64 * 130);
      const released = await segmentVolume({ volume, releaseVoxels: true, spec, runBatch: runner.runBatch, overlapping: runner });
      expect(volume.voxels.length).toBe(0);
      expect(released.labels.dimensions).toEqual([64, 64, 130]);
      expect(Array.from(released.labels.voxels)).toEqual(Array.from(kept.labels.voxels));
      expect(new Set(kept.labels.voxels).size).toBe(4);
    } finally {
      await runner.release();
    }
  });

  it('segments as the in-process runner does, with the network’s time taken in the worker', async () => {
    const spec = identitySpec();
    const volume = labelPhantom();
    const local = await createOnnxRunner(identityOnnx, 'cpu', spec);
    const runner = await createOnnxRunnerInWorker(identityOnnx, 'cpu', spec);
    try {
      const plain = await segmentVolume({ volume, spec, runBatch: local.runBatch });
      const first = await segmentVolume({ volume, spec, runBatch: runner.runBatch, overlapping: runner });
      const before = runner.networkSeconds();
      const overlapped = await segmentVolume({ volume, spec, runBatch: runner.runBatch, overlapping: runner });
      expect(Array.from(overlapped.labels.voxels)).toEqual(Array.from(plain.labels.voxels));
      expect(Array.from(overlapped.labels.voxels)).toEqual(Array.from(volume.voxels));
      // each run's network time is its own calls' (the runner's total goes on across runs)
      expect(first.seconds.network).toBeCloseTo(before, 9);
      expect(overlapped.seconds.network).toBeGreaterThan(0);
      expect(overlapped.seconds.network).toBeCloseTo(runner.networkSeconds() - before, 9);
      expect(overlapped.seconds.network).toBeLessThan(overlapped.seconds.total);
    } finally {
      await local.release();
      await runner.release();
    }
  });
});
