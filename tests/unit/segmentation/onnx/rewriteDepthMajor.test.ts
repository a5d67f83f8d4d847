import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { int64ToNumber, decodeOnnxModel } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import { optimizeOnnxModel, type OptimizedModel } from '../../../../main/segmentation/onnx/optimizeOnnxModel.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { exportTorchModels, type ExportedModel } from './exportTorchModels.js';
import { compareWithFile, randomInput } from './runOnnxOnce.js';
import { identitySpec } from '../process/inferenceFixtures.js';
import { outputDifference } from './outputDifference.js';

let dir: string;
let models: Map<string, ExportedModel>;
/** runDepthMajorUnderLimit.ts as `npx tsc -b` builds it under dist/. */
const underLimit = fileURLToPath(new URL('../../../../dist/tests/unit/segmentation/onnx/runDepthMajorUnderLimit.js', import.meta.url));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axial-depth-major-'));
  models = exportTorchModels('makeDepthMajorModels.py', dir);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rewrite for the model's own input shape. */
function depthMajor(listed: ExportedModel): OptimizedModel {
  const [, channels, ...spatial] = listed.shape as [number, number, number, number, number];
  return optimizeOnnxModel(listed.file, 'unified', { channels, spatial: spatial as [number, number, number] });
}

/** Every Conv's weight axes in the rewritten graph, and its operators. */
function rewrittenGraph(bytes: Uint8Array): { ops: string[]; convWeightAxes: number[] } {
  const graph = decodeOnnxModel(bytes).graph!;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name, t]));
  const convs = graph.node!.filter((n) => n.op_type === 'Conv');
  return { ops: graph.node!.map((n) => n.op_type!), convWeightAxes: convs.map((n) => (initializers.get(n.input![1]!)?.dims ?? []).map(int64ToNumber).length) };
}

/** The rewritten graph gives the file's output on two random inputs of its shape. */
async function expectSameOutput(name: string, listed: ExportedModel, bytes: Uint8Array): Promise<void> {
  for (const seed of [1, 2]) {
    const { maxAbs, scale } = await compareWithFile(listed.file, bytes, listed.shape, seed);
    console.info(`depth-major ${name} [${listed.shape.join(', ')}]: max abs difference ${maxAbs.toExponential(2)}, output scale ${scale.toFixed(3)}`);
    expect(scale).toBeGreaterThan(0.05);
    expect(maxAbs).toBeLessThanOrEqual(1e-5 * scale);
  }
}

const rewritable = [
  'conv_k3_p1',
  'conv_k3_s2_p1',
  'conv_k1_nobias',
  'conv_aniso',
  'conv_dilated',
  'conv_k5_depth_only',
  'convtranspose_k2_s2',
  'convtranspose_k3_s2_p1_op1',
  'convtranspose_k4_s2_p1',
  'convtranspose_aniso',
  'convtranspose_plane_2_1',
  'convtranspose_plane_1_2',
  'convtranspose_bn_prelu',
  'convtranspose_bn_prelu_channels',
  'convtranspose_bn_read_twice',
  'arithmetic',
  'chain',
  'unet',
  'unet_instance',
  'instance_norm_affine',
  'instance_norm_identities',
  'dynunet_aniso',
  'conv_uneven_pads',
  'dropout',
];

describe('rewriteDepthMajor (torch-exported 3D networks, both graphs run by onnxruntime)', () => {
  it.each(rewritable)('%s runs every convolution in 2D and gives the network’s output', async (name) => {
    const listed = models.get(name)!;
    const convs = decodeOnnxModel(readFileSync(listed.file)).graph!.node!.filter((n) => n.op_type === 'Conv' || n.op_type === 'ConvTranspose').length;
    const optimized = depthMajor(listed);
    expect(optimized.reason).toBeNull();
    expect(optimized.depthMajor).toEqual({ convs });
    const graph = rewrittenGraph(optimized.bytes!);
    expect(graph.ops).not.toContain('ConvTranspose');
    // Each becomes one 2D Conv.
    expect(graph.convWeightAxes).toEqual(Array(convs).fill(4));
    // Built for its window: the input says so.
    const declared = decodeOnnxModel(optimized.bytes!).graph!.input![0] as { type: { tensor_type: { shape: { dim: { dim_value?: number }[] } } } };
    expect(declared.type.tensor_type.shape.dim.slice(2).map((d) => int64ToNumber(d.dim_value))).toEqual(listed.shape.slice(2));
    await expectSameOutput(name, listed, optimized.bytes!);
  });

  it('runs a ConvTranspose’s batch norm and activation on its phases, before the interleave, unless something else reads them', () => {
    const madeBy = (bytes: Uint8Array, op: string): string | undefined => {
      const nodes = decodeOnnxModel(bytes).graph!.node!;
      const input = nodes.find((n) => n.op_type === op)!.input![0];
      return nodes.find((n) => n.output?.includes(input!))?.op_type;
    };
    const moved = depthMajor(models.get('convtranspose_bn_prelu')!).bytes!;
    expect(madeBy(moved, 'BatchNormalization')).toBe('Conv');
    expect(madeBy(moved, 'LeakyRelu')).toBe('BatchNormalization');
    expect(madeBy(moved, 'DepthToSpace')).toBe('Reshape');
    // A slope per channel stays after the interleave, on [C, 1, 1].
    expect(madeBy(depthMajor(models.get('convtranspose_bn_prelu_channels')!).bytes!, 'PRelu')).toBe('DepthToSpace');
    // The ConvTranspose's output is also added back: the norm reads the interleaved output.
    expect(madeBy(depthMajor(models.get('convtranspose_bn_read_twice')!).bytes!, 'BatchNormalization')).toBe('DepthToSpace');
  });

  it('runs a 1×1×1 head that widens the output in 3D, on its narrower input moved back', async () => {
    const listed = models.get('widening_head')!;
    const optimized = depthMajor(listed);
    // The head is not one of the convolutions run in 2D.
    expect(optimized.depthMajor).toEqual({ convs: 1 });
    const graph = rewrittenGraph(optimized.bytes!);
    expect(graph.convWeightAxes).toEqual([4, 5]);
    // In: a reshape only (one channel); out: the head's 4-channel input, not its 9-channel output, is transposed.
    expect(graph.ops.filter((o) => o === 'Transpose')).toHaveLength(1);
    await expectSameOutput('widening_head', listed, optimized.bytes!);
  });

  it('the UNet’s sibling convolutions share one depth stack, and a one-channel input is only reshaped on the way in', () => {
    const graph = rewrittenGraph(depthMajor(models.get('unet')!).bytes!);
    const count = (op: string): number => graph.ops.filter((o) => o === op).length;
    // The 1×1×1 residual reads its input as it is, and each strided unit's conv and residual share a stack.
    expect(count('Gather')).toBe(graph.convWeightAxes.length - 1 - 2);
    expect(count('Transpose')).toBe(1);
  });

  it.each([
    ['group_norm', 'group norm'],
    ['convtranspose_cropped', 'a ConvTranspose whose output is cropped'],
    ['conv_groups', 'a grouped Conv'],
    ['pointwise_only', 'no convolution wider than 1×1×1'],
    ['softmax_opset12', 'a Softmax other than over channels'],
    ['concat_depth', 'a Concat other than of channels'],
  ])('leaves %s to the general rewrite, saying why', (name, reason) => {
    const optimized = depthMajor(models.get(name)!);
    expect(optimized.depthMajor).toEqual({ reason });
  });

  it('createOnnxRunner builds it for the spec’s window, and a window of another size runs on the general form', async () => {
    const listed = models.get('unet')!;
    const spec = identitySpec({ modelPath: listed.file, roi: 16, outputChannels: 2 });
    const runner = await createOnnxRunner(listed.file, 'cpu', spec);
    const plain = await createOnnxRunner(listed.file, 'cpu', spec, { rewrite: false });
    try {
      expect(runner.graphRewrite).toMatchObject({ depthMajor: 13, depthMajorReason: null, reason: null });
      for (const roi of [
        [16, 16, 16],
        [8, 12, 20],
        [16, 16, 16],
      ] as const) {
        const input = randomInput(2 * roi[0] * roi[1] * roi[2], roi[1]);
        const a = await runner.runBatch(input, 2, roi);
        const b = await plain.runBatch(input, 2, roi);
        expect(a.length).toBe(b.length);
        const { maxAbs, scale } = outputDifference(a, b);
        expect(maxAbs).toBeLessThanOrEqual(1e-5 * scale);
      }
      // The report says which form runs now, and why.
      expect(runner.graphRewrite).toMatchObject({
        depthMajor: 0,
        depthMajorReason: 'left during the run: a window of 8×12×20, not the 16×16×16 it was built for',
      });
    } finally {
      await runner.release();
      await plain.release();
    }
  });

  it('bounds the depth stacks by the memory given over 3 × the windows a run holds, a fixed batch’s if larger', () => {
    const fixed = models.get('fixed_batch')!;
    // Its one stack: 4 planes of 3 depths × 2 channels × 16 × 16 floats, 24 KiB per window.
    const bounded = (windowsPerBatch: number) =>
      optimizeOnnxModel(fixed.file, 'unified', { channels: 2, spatial: [4, 16, 16], memoryBytes: 288 << 10, windowsPerBatch }).depthMajor;
    // 288 KiB over 3 × 8 declared windows is 12 KiB: refused, though the sliding window sends 1 (96 KiB for 1).
    expect(bounded(1)).toEqual({ reason: 'a depth stack of 24 KiB per window (at most 12 KiB here)' });
    // More windows than the model declares: those count.
    expect(bounded(16)).toEqual({ reason: 'a depth stack of 24 KiB per window (at most 6 KiB here)' });
    // Without the fixed batch, one window fits.
    const free = models.get('conv_k3_p1')!;
    expect(optimizeOnnxModel(free.file, 'unified', { channels: 2, spatial: [6, 5, 7], memoryBytes: 288 << 10, windowsPerBatch: 1 }).depthMajor).toEqual({
      convs: 1,
    });
  });

  it('createOnnxRunner bounds the depth stacks by the machine’s memory and the windows per batch', async () => {
    const listed = models.get('unet')!;
    const spec = identitySpec({ modelPath: listed.file, roi: 16, outputChannels: 2, swBatchSize: 2 });
    // An eighth of 4 MiB, over 3 × 2 windows: 85 KiB, under one of the network's stacks.
    const small = await createOnnxRunner(listed.file, 'cpu', spec, { totalMemory: 4 << 20, onWarning: () => undefined });
    // 16 GiB: the default bound.
    const large = await createOnnxRunner(listed.file, 'cpu', spec, { totalMemory: 16 * 2 ** 30 });
    try {
      expect(small.graphRewrite).toMatchObject({ depthMajor: 0, depthMajorReason: 'a depth stack of 96 KiB per window (at most 85 KiB here)' });
      expect(large.graphRewrite).toMatchObject({ depthMajor: 13, depthMajorReason: null });
    } finally {
      await Promise.all([small.release(), large.release()]);
    }
  });

  it('a depth-major run that runs out of memory goes on in the general form, with the same output', () => {
    // In a process of its own whose address space is capped once the model is open and the batch made. Measured on a
    // 2-core host: the general form ran in about 0.8 GiB more, the 7-deep stacks needed 2.2-2.5 GiB more at this batch.
    // So 1.3 GiB more leaves room for the one, not the other; 4 GiB more for both.
    const run = (headroomMiB: number): { warnings: string[]; depthMajor: number; depthMajorReason: string | null; maxAbs: number; scale: number } => {
      const child = spawnSync(process.execPath, [underLimit, models.get('conv_deep')!.file, '4', '64', '24', String(headroomMiB)], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(child.status, child.stderr).toBe(0);
      return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    };
    const tight = run(1344);
    expect(tight.warnings).toEqual([`${models.get('conv_deep')!.file}: the depth-major form ran out of memory; the general form runs from here on`]);
    expect([tight.depthMajor, tight.depthMajorReason]).toEqual([0, 'left during the run: it ran out of memory']);
    expect(tight.scale).toBeGreaterThan(1);
    expect(tight.maxAbs).toBeLessThanOrEqual(1e-5 * tight.scale);
    const roomy = run(4096);
    expect(roomy.warnings).toEqual([]);
    expect([roomy.depthMajor, roomy.depthMajorReason]).toEqual([1, null]);
    expect(roomy.maxAbs).toBeLessThanOrEqual(1e-5 * roomy.scale);
  }, 240_000);

  it('refuses a patch shape the model declares otherwise, and leaves the file to the general rewrite', () => {
    const listed = models.get('unet')!;
    const optimized = optimizeOnnxModel(listed.file, 'unified', { channels: 2, spatial: [16, 16, 16] });
    expect(optimized.depthMajor).toEqual({ reason: 'input axis 1 is 1, not 2' });
    // The general rewrite still ran: its ConvTransposes became Convs.
    expect(optimized.report.rewritten).toHaveLength(2);
    const fixed = models.get('fixed_input')!;
    expect(optimizeOnnxModel(fixed.file, 'unified', { channels: 2, spatial: [5, 4, 4] }).depthMajor).toEqual({ reason: 'input axis 2 is 4, not 5' });
    // A window whose depth stacks would be too large: the first conv's alone (1 channel, 3 deep, 256 output planes of 512×256) is 384 MiB.
    expect(optimizeOnnxModel(listed.file, 'unified', { channels: 1, spatial: [512, 512, 256] }).depthMajor).toEqual({
      reason: 'a depth stack of 384 MiB per window (at most 256 MiB here)',
    });
    // A model with neither ConvTranspose nor PRelu is then left as it is, as without the depth-major form.
    expect(depthMajor(models.get('concat_depth')!).bytes).toBeNull();
  });
});
