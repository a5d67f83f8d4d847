import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSiblingConvs } from '../../../../main/segmentation/onnx/mergeSiblingConvs.js';
import { decodeOnnxModel, encodeOnnxModel, type OnnxAttribute, type OnnxModel } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import { exportTorchModels, type ExportedModel } from './exportTorchModels.js';
import { outputDifference } from './outputDifference.js';

let dir: string;
let models: Map<string, ExportedModel>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axial-siblings-'));
  models = exportTorchModels('makeSiblingConvModels.py', dir);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(model: string | Uint8Array, shape: readonly number[]): Promise<Float32Array> {
  const count = shape.reduce((p, d) => p * d, 1);
  const input = Float32Array.from({ length: count }, (_, n) => Math.sin(n * 0.731) + 0.25 * Math.cos(n * 0.113));
  const session = await ort.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    return (await session.run({ x: new ort.Tensor('float32', input, [...shape]) })).y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function load(name: string): OnnxModel {
  return decodeOnnxModel(readFileSync(models.get(name)!.file));
}

describe('mergeSiblingConvs (torch-exported, both graphs run by onnxruntime)', () => {
  it.each(['siblings_opset17', 'siblings_opset11'])(
    '%s: the two strided Convs on one input become one and a Split; the other stride stays; same output',
    async (name) => {
      const model = load(name);
      expect(mergeSiblingConvs(model)).toBe(1);
      const nodes = model.graph!.node!;
      const convs = nodes.filter((n) => n.op_type === 'Conv');
      expect(convs).toHaveLength(2);
      const split = nodes.find((n) => n.op_type === 'Split')!;
      expect(split.output).toHaveLength(2);
      // The merged Conv holds 4 + 5 filters, with a bias of zeros for the second; the stride-1 Conv keeps its own.
      const merged = convs.find((c) => c.output![0] === split.input![0])!;
      const weight = model.graph!.initializer!.find((t) => t.name === merged.input![1])!;
      expect(weight.dims!.map(Number)).toEqual([9, 3, 3, 3, 3]);
      expect(merged.input).toHaveLength(3);
      // The Split's sizes: an input from opset 13, an attribute before.
      expect(name.endsWith('17') ? split.input!.length : split.attribute!.find((a) => a.name === 'split')!.ints!.map(Number)).toEqual(
        name.endsWith('17') ? 2 : [4, 5],
      );
      // The replaced weights are gone.
      expect(model.graph!.initializer!.filter((t) => (t.dims ?? []).length === 5)).toHaveLength(2);
      const bytes = encodeOnnxModel(model);
      for (const shape of [models.get(name)!.shape, [1, 3, 8, 9, 5]]) {
        const expected = await run(models.get(name)!.file, shape);
        const actual = await run(bytes, shape);
        expect(actual.length).toBe(expected.length);
        const { maxAbs, scale } = outputDifference(actual, expected);
        console.info(`${name} [${shape.join(', ')}]: max abs difference ${maxAbs.toExponential(2)}, output scale ${scale.toFixed(2)}`);
        expect(scale).toBeGreaterThan(1);
        expect(maxAbs).toBeLessThanOrEqual(1e-5 * scale);
      }
    },
  );

  /** The two strided siblings (the first two Convs torch writes), with attributes set on both. */
  const withBoth = (name: string, values: Record<string, (a: OnnxAttribute) => void>): OnnxModel => {
    const model = load('siblings_opset17');
    for (const conv of model.graph!.node!.filter((n) => n.op_type === 'Conv').slice(0, 2))
      for (const [attribute, set] of Object.entries(values)) set(conv.attribute!.find((a) => a.name === attribute)!);
    writeFileSync(join(dir, `${name}.onnx`), encodeOnnxModel(model));
    return model;
  };

  it('leaves Convs alone whose weights a caller can override, or that are grouped, or whose geometry differs', () => {
    const overridable = load('siblings_opset17');
    const weight = overridable.graph!.node!.find((n) => n.op_type === 'Conv')!.input![1]!;
    overridable.graph!.input!.push({ name: weight });
    expect(mergeSiblingConvs(overridable)).toBe(0);
    // Both grouped alike: stacking their filters would give channels to the wrong groups.
    expect(mergeSiblingConvs(withBoth('grouped', { group: (a) => (a.i = 3) }))).toBe(0);
    const apart = load('siblings_opset17');
    apart.graph!.node!.find((n) => n.op_type === 'Conv')!.attribute!.find((a) => a.name === 'dilations')!.ints = [2, 2, 2];
    expect(mergeSiblingConvs(apart)).toBe(0);
  });

  it('merges siblings that share a dilation other than 1, with the same output', async () => {
    const model = withBoth('dilated', { dilations: (a) => (a.ints = [2, 2, 2]), pads: (a) => (a.ints = [2, 2, 2, 2, 2, 2]) });
    expect(mergeSiblingConvs(model)).toBe(1);
    const shape = [1, 3, 9, 8, 7];
    const expected = await run(join(dir, 'dilated.onnx'), shape);
    const actual = await run(encodeOnnxModel(model), shape);
    expect(Math.max(...actual.map((v, n) => Math.abs(v - expected[n]!)))).toBeLessThanOrEqual(1e-5 * Math.max(...expected.map(Math.abs)));
  });
});
