import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadersOverflow } from '../../../../main/segmentation/inference/LeadersOverflow.js';
import { topLeaders, type TopLeaders } from '../../../../main/segmentation/inference/topLeaders.js';
import { createWindowLeaders, windowLeaders } from '../../../../main/segmentation/inference/windowLeaders.js';
import { appendLeadersTail } from '../../../../main/segmentation/onnx/appendLeadersTail.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { freshPageCost } from '../../../../main/segmentation/onnx/freshPageCost.js';
import { encodeOnnxModel, type OnnxModel, type OnnxValueInfo } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import { identitySpec, volumeValueInfo } from '../process/inferenceFixtures.js';
import { bandWindow, read, reach, slots } from '../inference/leaderWindows.js';

/** The network as the identity: its output is whatever window of logits it is fed, [N, channels, X, Y, Z]. */
function identityModel(channels: number, opset = 17, output: OnnxValueInfo = volumeValueInfo('logits', channels)): OnnxModel {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: opset }],
    graph: {
      node: [{ op_type: 'Identity', input: ['x'], output: [output.name!] }],
      input: [volumeValueInfo('x', channels)],
      output: [output],
    },
  };
}

/** identityModel of 21 classes whose input and output declare a fixed batch. */
function fixedBatchModel(batch: number): OnnxModel {
  const fixed = (name: string): OnnxValueInfo => {
    const info = volumeValueInfo(name, 21) as { type: { tensor_type: { shape: { dim: object[] } } } };
    info.type.tensor_type.shape.dim[0] = { dim_value: batch };
    return info as OnnxValueInfo;
  };
  const model = identityModel(21, 17, fixed('logits'));
  model.graph!.input = [fixed('x')];
  return model;
}

/** The tailed identity run by onnxruntime on `windows` (each [channels][size] logits, one patch each). */
async function runTail(channels: number, roi: readonly number[], windows: readonly Float32Array[], opset = 17): Promise<TopLeaders> {
  const model = identityModel(channels, opset);
  const tail = appendLeadersTail(model, { channels, k: slots + 1 });
  if ('reason' in tail) throw new Error(tail.reason);
  const session = await ort.InferenceSession.create(encodeOnnxModel(model));
  try {
    const size = roi[0]! * roi[1]! * roi[2]!;
    const input = new Float32Array(windows.length * channels * size);
    windows.forEach((w, n) => input.set(w, n * channels * size));
    const out = await session.run({ x: new ort.Tensor('float32', input, [windows.length, channels, ...roi]) }, [tail.values, tail.ids, tail.sums]);
    expect(out[tail.values]!.dims).toEqual([windows.length, ...roi, slots + 1]);
    expect(out[tail.sums]!.dims).toEqual([windows.length, channels]);
    return {
      k: slots + 1,
      values: out[tail.values]!.data as Float32Array,
      ids: out[tail.ids]!.data as Uint8Array | Uint16Array,
      sums: out[tail.sums]!.data as Float32Array,
    };
  } finally {
    await session.release();
  }
}

/** bandWindow without its huge finite values, whose sums overflow (then the runner reads the batch whole). */
function finiteSums(channels: number, size: number, seed: number): Float32Array {
  return bandWindow(channels, size, seed).map((x) => (Math.abs(x) > 1e30 ? -1e4 : x));
}

/** Lists of a window made by `list`, or the error it threw. */
function listWith(size: number, list: (lists: ReturnType<typeof createWindowLeaders>) => unknown): ReturnType<typeof read> | unknown {
  const lists = createWindowLeaders(size, slots);
  try {
    list(lists);
  } catch (error) {
    return error;
  }
  return { ...read(lists, size), count: Array.from(lists.count), offsets: Array.from(lists.offsets) };
}

describe('the leaders tail: each voxel’s leading classes from onnxruntime, as windowLeaders lists them from the whole output', () => {
  it.each([
    [105, [7, 5, 3], 17],
    [21, [6, 6, 6], 17],
    // ReduceSum's axes as an attribute before opset 13
    [21, [4, 5, 3], 11],
    // class ids in two bytes above 256 classes
    [300, [3, 3, 3], 17],
  ] as const)('%i classes over a %j window (opset %i): ties, values at and just below the threshold, huge finite values', async (channels, roi, opset) => {
    const size = roi[0] * roi[1] * roi[2];
    const windows = [1, 2, 3].map((seed) => bandWindow(channels, size, seed));
    const top = await runTail(channels, roi, windows, opset);
    expect(top.ids).toBeInstanceOf(channels > 256 ? Uint16Array : Uint8Array);
    windows.forEach((window, n) => {
      const expected = listWith(size, (lists) => expect(windowLeaders(window, channels, size, reach, lists)).toBe(0));
      expect(listWith(size, (lists) => topLeaders(top, n, size, reach, lists))).toEqual(expected);
      // each channel's sum: finite only where no value of the patch was huge enough to overflow it
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let v = 0; v < size; v++) sum += window[c * size + v]!;
        expect(Number.isFinite(top.sums[n * channels + c]!)).toBe(Number.isFinite(Math.fround(sum)));
      }
    });
  });

  it('fails where more classes than the store keeps are within reach, as windowLeaders does, and not at exactly as many', async () => {
    const channels = 21;
    const size = 10;
    // voxel 3: classes 0..7 within reach (8, the store's slots), then class 8 too (9); every other voxel one class
    const window = (within: number): Float32Array => {
      const w = new Float32Array(channels * size).fill(-1000);
      for (let v = 0; v < size; v++) w[(v % channels) * size + v] = 0;
      for (let c = 0; c < within; c++) w[c * size + 3] = -c;
      return w;
    };
    const top = await runTail(channels, [size, 1, 1], [window(8), window(9)]);
    expect(listWith(size, (lists) => topLeaders(top, 0, size, reach, lists))).toEqual(
      listWith(size, (lists) => windowLeaders(window(8), channels, size, reach, lists)),
    );
    expect(listWith(size, (lists) => topLeaders(top, 0, size, reach, lists))).toMatchObject({ count: [1, 1, 1, 8, 1, 1, 1, 1, 1, 1] });
    expect(listWith(size, (lists) => topLeaders(top, 1, size, reach, lists))).toBeInstanceOf(LeadersOverflow);
    expect(listWith(size, (lists) => windowLeaders(window(9), channels, size, reach, lists))).toBeInstanceOf(LeadersOverflow);
  });

  it('gives sums that are not finite for a patch holding NaN or an infinity, and finite for the others', async () => {
    const channels = 21;
    const size = 8;
    const windows = [Number.NaN, Infinity, -Infinity, 5].map((bad) => {
      const w = new Float32Array(channels * size).map((_, n) => (n % 7) - 3);
      w[13 * size + 2] = bad;
      return w;
    });
    const { sums } = await runTail(channels, [2, 2, 2], windows);
    expect(Array.from({ length: 4 }, (_, n) => sums.subarray(n * channels, (n + 1) * channels).every(Number.isFinite))).toEqual([false, false, false, true]);
    expect(Array.from({ length: 4 }, (_, n) => Number.isFinite(sums[n * channels + 13]!))).toEqual([false, false, false, true]);
  });

  it('is not added, with why, to a model it does not fit', () => {
    const refusal = (model: OnnxModel, channels = 21) => appendLeadersTail(model, { channels, k: slots + 1 });
    const twoOutputs = identityModel(21);
    twoOutputs.graph!.output!.push(volumeValueInfo('x', 21));
    expect(refusal(twoOutputs)).toEqual({ reason: 'the model has 2 outputs' });
    expect(refusal(identityModel(9), 9)).toEqual({ reason: '9 classes' });
    expect(refusal(identityModel(21), 20)).toEqual({ reason: 'the output’s axis 1 is 21, not 20 classes' });
    const free = { name: 'logits', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_param: 'C' }, { dim_value: 4 }] } } } };
    expect(refusal(identityModel(21, 17, free as OnnxValueInfo))).toEqual({ reason: 'the output’s axis 1 is not fixed, not 21 classes' });
    expect(refusal(identityModel(21, 10))).toEqual({ reason: 'opset 10' });
  });
});

describe('createOnnxRunner with the leaders tail', () => {
  let dir: string;
  let modelPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'axial-tail-'));
    modelPath = join(dir, 'identity21.onnx');
    writeFileSync(modelPath, encodeOnnxModel(identityModel(21)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a batch’s leading classes; the first run asked for whole opens the session again without the tail, with the same output', async () => {
    const spec = { ...identitySpec({ modelPath, outputChannels: 21 }), input: { channels: 21 } };
    const roi = [4, 4, 4] as const;
    const size = 64;
    const windows = [finiteSums(21, size, 1), finiteSums(21, size, 2)];
    const input = new Float32Array(2 * 21 * size);
    windows.forEach((w, n) => input.set(w, n * 21 * size));
    const plain = await createOnnxRunner(modelPath, 'cpu', spec);
    const runner = await createOnnxRunner(modelPath, 'cpu', spec, { leadersTail: 'always' });
    try {
      expect(plain.graphRewrite.leadersTail).toBe(false);
      expect(await plain.runLeaders(input, 2, roi)).toBeNull();
      expect(runner.graphRewrite.leadersTail).toBe(true);
      const top = (await runner.runLeaders(input, 2, roi)) as TopLeaders;
      expect(top.k).toBe(9);
      expect(listWith(size, (lists) => topLeaders(top, 1, size, reach, lists))).toEqual(
        listWith(size, (lists) => windowLeaders(windows[1]!, 21, size, reach, lists)),
      );
      const whole = Array.from(await runner.runBatch(input, 2, roi));
      expect(whole).toEqual(Array.from(await plain.runBatch(input, 2, roi)));
      expect(runner.graphRewrite.leadersTail).toBe(false);
      expect(await runner.runLeaders(input, 2, roi)).toBeNull();
      expect(Array.from(await runner.runBatch(input, 2, roi))).toEqual(whole);
    } finally {
      await plain.release();
      await runner.release();
    }
  });

  it('runs a model of fixed batch 1 one patch at a time, and a batch holding a NaN again whole, keeping the tail', async () => {
    const model = fixedBatchModel(1);
    const path = join(dir, 'batch1.onnx');
    writeFileSync(path, encodeOnnxModel(model));
    const spec = { ...identitySpec({ modelPath: path, outputChannels: 21 }), input: { channels: 21 } };
    const runner = await createOnnxRunner(path, 'cpu', spec, { leadersTail: 'always' });
    try {
      expect(runner.fixedBatch).toBe(1);
      const size = 27;
      const windows = [1, 2, 3].map((seed) => finiteSums(21, size, seed));
      const input = new Float32Array(3 * 21 * size);
      windows.forEach((w, n) => input.set(w, n * 21 * size));
      const top = (await runner.runLeaders(input, 3, [3, 3, 3])) as TopLeaders;
      expect(top.sums).toHaveLength(3 * 21);
      windows.forEach((window, n) =>
        expect(listWith(size, (lists) => topLeaders(top, n, size, reach, lists))).toEqual(
          listWith(size, (lists) => windowLeaders(window, 21, size, reach, lists)),
        ),
      );
      input[2 * 21 * size + 5] = Number.NaN;
      const whole = await runner.runLeaders(input, 3, [3, 3, 3]);
      expect(whole).toBeInstanceOf(Float32Array);
      expect(Number.isNaN((whole as Float32Array)[2 * 21 * size + 5])).toBe(true);
      expect(runner.graphRewrite.leadersTail).toBe(true);
      expect(await runner.runLeaders(input.subarray(0, 21 * size), 1, [3, 3, 3])).toMatchObject({ k: 9 });
    } finally {
      await runner.release();
    }
  });

  it("at 'auto', adds the tail only where fresh memory is dear (freshPageCost, measured here or given)", async () => {
    expect(Number.isFinite(freshPageCost())).toBe(true);
    const spec = { ...identitySpec({ modelPath, outputChannels: 21 }), input: { channels: 21 } };
    for (const [cost, tailed] of [
      [0.1, false],
      [5, true],
    ] as const) {
      const runner = await createOnnxRunner(modelPath, 'cpu', spec, { leadersTail: 'auto', freshPageCost: cost });
      try {
        expect(runner.graphRewrite.leadersTail).toBe(tailed);
      } finally {
        await runner.release();
      }
    }
  });

  it('pads the last of a fixed batch of 2 with zeros and reads only the patches fed (Reciprocal: the padding’s are infinite)', async () => {
    const model = fixedBatchModel(2);
    model.graph!.node = [{ op_type: 'Reciprocal', input: ['x'], output: ['logits'] }];
    const path = join(dir, 'reciprocal2.onnx');
    writeFileSync(path, encodeOnnxModel(model));
    const spec = { ...identitySpec({ modelPath: path, outputChannels: 21 }), input: { channels: 21 } };
    const plain = await createOnnxRunner(path, 'cpu', spec);
    const runner = await createOnnxRunner(path, 'cpu', spec, { leadersTail: 'always' });
    try {
      const size = 27;
      // no zeros fed: every value fed has a finite reciprocal
      const windows = [1, 2, 3].map((seed) => finiteSums(21, size, seed).map((x) => (x === 0 ? 1 : x)));
      const input = new Float32Array(3 * 21 * size);
      windows.forEach((w, n) => input.set(w, n * 21 * size));
      const top = await runner.runLeaders(input, 3, [3, 3, 3]);
      expect(top).not.toBeInstanceOf(Float32Array);
      const whole = await plain.runBatch(input, 3, [3, 3, 3]);
      windows.forEach((_, n) =>
        expect(listWith(size, (lists) => topLeaders(top as TopLeaders, n, size, reach, lists))).toEqual(
          listWith(size, (lists) => windowLeaders(whole.subarray(n * 21 * size), 21, size, reach, lists)),
        ),
      );
      // one patch: a single chunk, padded
      expect(await runner.runLeaders(input.subarray(0, 21 * size), 1, [3, 3, 3])).toMatchObject({ k: 9, sums: expect.any(Float32Array) });
    } finally {
      await plain.release();
      await runner.release();
    }
  });

  it('warns and reads whole outputs for a model the tail does not fit', async () => {
    const twoOutputs = identityModel(21);
    twoOutputs.graph!.node!.push({ op_type: 'Identity', input: ['x'], output: ['copy'] });
    twoOutputs.graph!.output!.push(volumeValueInfo('copy', 21));
    const path = join(dir, 'two-outputs.onnx');
    writeFileSync(path, encodeOnnxModel(twoOutputs));
    const warnings: string[] = [];
    const spec = { ...identitySpec({ modelPath: path, outputChannels: 21 }), input: { channels: 21 } };
    const runner = await createOnnxRunner(path, 'cpu', spec, { leadersTail: 'always', onWarning: (w) => warnings.push(w) });
    try {
      expect(warnings).toEqual([`${path}: its whole output is read for each window: the model has 2 outputs`]);
      expect(runner.graphRewrite.leadersTail).toBe(false);
      expect(await runner.runLeaders(new Float32Array(21 * 8), 1, [2, 2, 2])).toBeNull();
    } finally {
      await runner.release();
    }
  });
});
