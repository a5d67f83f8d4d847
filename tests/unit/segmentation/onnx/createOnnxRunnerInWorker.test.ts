import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaderSlots } from '../../../../main/segmentation/inference/leaderStore.js';
import type { SweptBatch } from '../../../../main/segmentation/inference/slidingWindowInference.js';
import { sweepLeaders } from '../../../../main/segmentation/inference/sweepLeaders.js';
import { createWindowLeaders, type WindowLeaders } from '../../../../main/segmentation/inference/windowLeaders.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { createOnnxRunnerInWorker } from '../../../../main/segmentation/onnx/createOnnxRunnerInWorker.js';
import type { AxialError } from '../../../../main/errors/AxialError.js';
import { attributeType, encodeOnnxModel, tensorType } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import { segmentVolume } from '../../../../main/segmentation/segmentVolume.js';
import { usesLeaderStore } from '../../../../main/segmentation/usesLeaderStore.js';
import { fixed32Onnx, identityOnnx, identitySpec, labelPhantom, volumeValueInfo } from '../process/inferenceFixtures.js';
import { axialRejection, expectAxialError } from '../../../expectAxialError.js';

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

/**
 * A 1×1×1 Conv of `channels` classes whose logits are sharpness × (2 c x − c²), the tangents of sharpness × x² at each
 * class c: the argmax is the class nearest x, so a label phantom's labels come back; at sharpness 10 four classes lie
 * within 50 of the best at a label, at 0.5 twelve (more than the leaders store keeps).
 */
function bandsOnnx(path: string, channels: number, sharpness: number): string {
  const weights = Float32Array.from({ length: channels }, (_, c) => 2 * sharpness * c);
  const biases = Float32Array.from({ length: channels }, (_, c) => -sharpness * c * c);
  const tensor = (name: string, dims: number[], data: Float32Array) => ({ name, dims, data_type: tensorType.float, raw_data: new Uint8Array(data.buffer) });
  const bytes = encodeOnnxModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      node: [
        {
          op_type: 'Conv',
          input: ['input_0', 'w', 'b'],
          output: ['output_0'],
          attribute: [{ name: 'kernel_shape', type: attributeType.ints, ints: [1, 1, 1] }],
        },
      ],
      initializer: [tensor('w', [channels, 1, 1, 1, 1], weights), tensor('b', [channels], biases)],
      input: [volumeValueInfo('input_0', 1)],
      output: [volumeValueInfo('output_0', channels)],
    },
  });
  writeFileSync(path, bytes);
  return path;
}

/** Lists as plain arrays, voxel by voxel, for comparing. */
function plainLists(lists: WindowLeaders): number[][] {
  return Array.from(lists.count, (n, v) => {
    const from = lists.offsets[v]!;
    return [lists.maxima[v]!, ...lists.ids.subarray(from, from + n), ...lists.values.subarray(from, from + n)];
  });
}

describe('createOnnxRunnerInWorker’s leaders sweep (a third thread lists each output’s leaders)', () => {
  let dir: string;
  let sharp: string;
  let crowded: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'axial-sweep-'));
    sharp = bandsOnnx(join(dir, 'sharp.onnx'), 20, 10);
    crowded = bandsOnnx(join(dir, 'crowded.onnx'), 20, 0.5);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['whole outputs', false],
    // from the tail, but the NaN's batch, which runs again whole
    ['the leaders tail', true],
  ])('gives each patch’s lists as the sweep gives them from the in-process output, ten calls at once; why not, for a NaN (%s)', async (_, leadersTail) => {
    const spec = identitySpec({ modelPath: sharp, outputChannels: 20 });
    const local = await createOnnxRunner(sharp, 'cpu', spec);
    const runner = await createOnnxRunnerInWorker(sharp, 'cpu', spec, leadersTail ? { leadersTail: 'always' } : {});
    try {
      expect(runner.leaders.ahead).toBe(8);
      expect(runner.graphRewrite.leadersTail).toBe(leadersTail);
      const inputs = Array.from({ length: 10 }, (_, n) => labelPatches(1 + (n % 3), n));
      // the sixth batch holds a NaN: its output cannot be listed
      inputs[5]![100] = Number.NaN;
      const room = createWindowLeaders(16 ** 3, leaderSlots);
      const plain = (batch: SweptBatch) => ('lists' in batch ? { lists: batch.lists.map(plainLists) } : batch);
      const expected = [];
      for (const input of inputs) {
        const output = await local.runBatch(input, input.length / 16 ** 3, [16, 16, 16]);
        expected.push(plain(sweepLeaders(output, input.length / 16 ** 3, 20, 16 ** 3, room)));
      }
      expect(expected.filter((e) => 'refused' in e)).toEqual([{ refused: { kind: 'notFinite', spot: { at: 100, NaN: 1, Infinity: 0, '-Infinity': 0 } } }]);
      const results = await Promise.all(inputs.map((input) => runner.leaders.run(input, input.length / 16 ** 3, [16, 16, 16], 20)));
      expect(results.map(plain)).toEqual(expected);
      expect(runner.batchesFromTail()).toBe(leadersTail ? 9 : 0);
      expect(runner.networkSeconds()).toBeGreaterThan(0);
      // plain calls go on as before beside the sweep
      expect(Array.from(await runner.runBatch(inputs[0]!, 1, [16, 16, 16]))).toEqual(Array.from(await local.runBatch(inputs[0]!, 1, [16, 16, 16])));
    } finally {
      await local.release();
      await runner.release();
    }
  });

  it('answers the calls it has not started unrun once asked to skip them, and runs the next ones', async () => {
    const spec = identitySpec({ modelPath: sharp, outputChannels: 20 });
    const runner = await createOnnxRunnerInWorker(sharp, 'cpu', spec);
    try {
      const calls = Array.from({ length: 10 }, (_, n) => runner.leaders.run(labelPatches(3, n), 3, [16, 16, 16], 20));
      runner.skipQueued();
      const settled = await Promise.allSettled(calls);
      const outcome = settled.map((s) => (s.status === 'fulfilled' ? ('lists' in s.value ? 'lists' : 'refused') : (s.reason as { code: string }).code));
      // the first had started (its check came before the skip reached the worker); the last cannot have
      expect(outcome[0]).toBe('lists');
      expect(outcome[9]).toBe('INFERENCE_CANCELLED');
      expect(outcome.every((o) => o === 'lists' || o === 'INFERENCE_CANCELLED')).toBe(true);
      // a run cancelled at its first batch's progress (63 batches, 8 in the runner), then the same runner segments
      const volume = labelPhantom([64, 64, 64]);
      const controller = new AbortController();
      const cancelled = segmentVolume({
        volume,
        spec,
        runBatch: runner.runBatch,
        overlapping: runner,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      await expect(cancelled).rejects.toMatchObject({ code: 'INFERENCE_CANCELLED' });
      const result = await segmentVolume({ volume, spec, runBatch: runner.runBatch, overlapping: runner });
      expect(Array.from(result.labels.voxels)).toEqual(Array.from(volume.voxels));
    } finally {
      await runner.release();
    }
  });

  it('when the leaders sweep’s thread dies, fails every call waiting with INFERENCE_CRASHED and ends the network’s thread after its run', async () => {
    // The threads as they start, each with its exit, caught by Node's 'worker' event (no seam in the runner).
    const threads: { worker: Worker; exited: Promise<number> }[] = [];
    const started = (worker: Worker) => threads.push({ worker, exited: new Promise((resolve) => worker.once('exit', resolve)) });
    process.on('worker', started);
    const spec = identitySpec({ modelPath: sharp, outputChannels: 20, roi: 64 });
    const runner = await createOnnxRunnerInWorker(sharp, 'cpu', spec);
    try {
      const patch = labelPatches(64, 0);
      const run = () => runner.leaders.run(patch, 1, [64, 64, 64], 20);
      expect('lists' in (await run())).toBe(true);
      expect(threads).toHaveLength(2);
      const [network, sweep] = threads as [(typeof threads)[0], (typeof threads)[0]];
      // Thirty 21 MB outputs asked at once; the sweep dies once the first is back, while the network runs the next
      // (terminating the network's thread in a run, as this runner once did, aborts the whole process).
      const calls = Array.from({ length: 30 }, run);
      await calls[0];
      await sweep.worker.terminate();
      const outcomes = await Promise.allSettled(calls.slice(1));
      const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason as AxialError);
      expect(outcomes.at(-1)!.status).toBe('rejected');
      for (const error of failed) {
        expect(error).toMatchObject({ code: 'INFERENCE_CRASHED', file: sharp });
        expect(error.message).toContain('the leaders sweep stopped');
      }
      // the network's thread ends by itself within seconds, not left waiting for room from a sweep that is gone
      const timeout = new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000));
      expect(await Promise.race([network.exited, timeout])).toBe(0);
      expect(runner.alive()).toBe(false);
      await expectAxialError(run(), 'INFERENCE_CRASHED', /the leaders sweep stopped/);
    } finally {
      process.off('worker', started);
      await runner.release();
    }
  });

  it.each([
    ['sharp', 'through the leaders store'],
    ['crowded', 'falling back to dense sums where twelve classes crowd the best'],
  ])('segments as in-process with a 20-class %s network (%s)', async (which) => {
    const modelPath = which === 'sharp' ? sharp : crowded;
    const spec = identitySpec({ modelPath, outputChannels: 20 });
    const volume = labelPhantom();
    const local = await createOnnxRunner(modelPath, 'cpu', spec);
    // With the leaders tail, as the inference process opens a model it sums in the leaders store where fresh memory is dear.
    const runner = await createOnnxRunnerInWorker(modelPath, 'cpu', spec, { leadersTail: usesLeaderStore(spec) ? 'always' : undefined });
    try {
      expect(runner.graphRewrite.leadersTail).toBe(true);
      const plain = await segmentVolume({ volume, spec, runBatch: local.runBatch, precision: 'reference' });
      // How each batch came back: as lists, refused by the sweep, or whole when asked whole (the dense run after).
      const seen = { lists: 0, refused: 0, dense: 0 };
      const swept = await segmentVolume({
        volume,
        spec,
        runBatch: (input, count, roi) => {
          seen.dense++;
          return runner.runBatch(input, count, roi);
        },
        overlapping: {
          ...runner,
          leaders: {
            ahead: runner.leaders.ahead,
            run: async (input, count, roi, channels) => {
              const result = await runner.leaders.run(input, count, roi, channels);
              seen['lists' in result ? 'lists' : 'refused']++;
              return result;
            },
          },
        },
      });
      expect(Array.from(swept.labels.voxels)).toEqual(Array.from(plain.labels.voxels));
      expect(Array.from(swept.labels.voxels)).toEqual(Array.from(volume.voxels));
      expect(swept.seconds.network).toBeGreaterThan(0);
      // 20×24×28 at roi 16, overlap 0.25, two patches a batch: 8 windows in 4 batches. Crowded, all 4 were in the runner
      // (8 deep): the run gave up at the first one refused, the runner skipped those not started yet, and the run went
      // again with dense sums.
      if (which === 'sharp') {
        expect(seen).toEqual({ lists: 4, refused: 0, dense: 0 });
        expect(runner.batchesFromTail()).toBe(4);
      } else {
        expect(seen).toMatchObject({ lists: 0, dense: 4 });
        expect(seen.refused).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await local.release();
      await runner.release();
    }
  });
});
