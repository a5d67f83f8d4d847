import { optimizeOnnxModelInWorker } from '../../../../main/segmentation/onnx/optimizeOnnxModelInWorker.js';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { decodeOnnxModel, encodeOnnxModel } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import { MAX_REWRITE_BYTES, optimizeOnnxModel } from '../../../../main/segmentation/onnx/optimizeOnnxModel.js';
import type { SubPixelMode } from '../../../../main/segmentation/onnx/rewriteConvTransposes.js';
import { exportTorchModels, type ExportedModel } from './exportTorchModels.js';
import { compareWithFile, randomInput } from './runOnnxOnce.js';
import { identitySpec } from '../process/inferenceFixtures.js';
import { outputDifference } from './outputDifference.js';

let dir: string;
let models: Map<string, ExportedModel>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axial-convtranspose-'));
  models = exportTorchModels('makeConvTransposeModels.py', dir);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rewritable = [
  '3d_k2_s2_bias',
  '3d_k2_s2_nobias',
  '3d_k3_s2_p1_op1_bias',
  '3d_k3_s2_p1_op1_nobias',
  '2d_k3_s2_p1_op1_bias',
  '2d_k4_s2_p1_nobias',
  '3d_k3_s2_p0',
  '3d_aniso',
  '3d_k1_s2',
  '3d_k3_s3_p2',
  '3d_aniso_last',
  '3d_bn_prelu',
  '2d_bn_relu',
  '3d_bn_prelu_channels',
  '3d_bn_read_twice',
  '3d_instance_prelu',
];

/** The rewritten graph's nodes, and the operator that makes each name. */
function rewrittenNodes(file: string | Uint8Array): { ops: string[]; madeBy: (name: string) => string | undefined; inputOf: (op: string) => string } {
  const bytes = typeof file === 'string' ? file : write('edited.onnx', file);
  const nodes = decodeOnnxModel(optimizeOnnxModel(bytes).bytes!).graph!.node!;
  const madeBy = (name: string): string | undefined => nodes.find((n) => n.output?.includes(name))?.op_type;
  const inputOf = (op: string): string => nodes.find((n) => n.op_type === op)!.input![0]!;
  return { ops: nodes.map((n) => n.op_type!), madeBy, inputOf };
}

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe('rewriteConvTransposes (torch-exported models, both graphs run by onnxruntime)', () => {
  for (const mode of ['unified', 'phases'] as SubPixelMode[]) {
    it.each(rewritable)(`${mode}: %s gives the ConvTranspose's output on random input, at two input sizes`, async (name) => {
      const listed = models.get(name)!;
      const optimized = optimizeOnnxModel(listed.file, mode);
      expect(optimized.reason).toBeNull();
      expect(optimized.report).toEqual({ rewritten: [expect.any(String)], skipped: [] });
      const ops = (decodeOnnxModel(optimized.bytes!).graph?.node ?? []).map((n) => n.op_type);
      expect(ops).not.toContain('ConvTranspose');
      expect(ops).toContain('Conv');
      // The spatial axes are dynamic: a second size checks that the depth-to-space reads them at run time.
      const grown = listed.shape.map((d, a) => (a >= 2 ? d + a - 1 : d));
      for (const [shape, seed] of [
        [listed.shape, 1],
        [grown, 2],
      ] as const) {
        const { maxAbs, scale } = await compareWithFile(listed.file, optimized.bytes!, shape, seed);
        console.info(`${mode} ${name} [${shape.join(', ')}]: max abs difference ${maxAbs.toExponential(2)}, output scale ${scale.toFixed(3)}`);
        expect(scale).toBeGreaterThan(0.1);
        expect(maxAbs).toBeLessThanOrEqual(1e-5 * scale);
      }
    });
  }

  it('rewrites both ConvTransposes and the PReLUs of a MONAI UNet and keeps its output', async () => {
    const listed = models.get('unet')!;
    for (const mode of ['unified', 'phases'] as SubPixelMode[]) {
      const optimized = optimizeOnnxModel(listed.file, mode);
      expect(optimized.report.rewritten).toHaveLength(2);
      // Its PReLUs (one slope each) run as LeakyRelu.
      const ops = (decodeOnnxModel(optimized.bytes!).graph?.node ?? []).map((n) => n.op_type);
      expect(optimized.leakyRelus).toBe(ops.filter((op) => op === 'LeakyRelu').length);
      expect(optimized.leakyRelus).toBeGreaterThan(4);
      expect(ops).not.toContain('PRelu');
      const { maxAbs, scale } = await compareWithFile(listed.file, optimized.bytes!, listed.shape, 3);
      console.info(`${mode} unet: max abs difference ${maxAbs.toExponential(2)}, output scale ${scale.toFixed(3)}`);
      expect(maxAbs).toBeLessThanOrEqual(1e-5 * scale);
    }
  });

  it('runs the batch norm and activation that read the ConvTranspose alone on the stacked phases, before the interleave', () => {
    const prelu = rewrittenNodes(models.get('3d_bn_prelu')!.file);
    expect(prelu.madeBy(prelu.inputOf('BatchNormalization'))).toBe('Conv');
    expect(prelu.madeBy(prelu.inputOf('LeakyRelu'))).toBe('BatchNormalization');
    expect(prelu.ops.indexOf('DepthToSpace')).toBeGreaterThan(prelu.ops.indexOf('LeakyRelu'));
    // 2D with the phases already in DepthToSpace's order: no Transpose at all.
    const relu = rewrittenNodes(models.get('2d_bn_relu')!.file);
    expect(relu.madeBy(relu.inputOf('Relu'))).toBe('BatchNormalization');
    expect(relu.madeBy(relu.inputOf('BatchNormalization'))).toBe('Conv');
    expect(relu.ops).not.toContain('Transpose');
    // A slope per channel stays after the interleave; the batch norm still moves.
    const channels = rewrittenNodes(models.get('3d_bn_prelu_channels')!.file);
    expect(channels.madeBy(channels.inputOf('BatchNormalization'))).toBe('Conv');
    expect(channels.madeBy(channels.inputOf('PRelu'))).toBe('Reshape');
    // Read by the Add too, or a graph output: nothing moves.
    const twice = rewrittenNodes(models.get('3d_bn_read_twice')!.file);
    expect(twice.madeBy(twice.inputOf('BatchNormalization'))).toBe('Reshape');
    const model = decodeOnnxModel(readFileSync(models.get('3d_bn_prelu')!.file));
    const convOutput = model.graph!.node!.find((n) => n.op_type === 'ConvTranspose')!.output![0]!;
    model.graph!.output!.push({ name: convOutput });
    const exposed = rewrittenNodes(encodeOnnxModel(model));
    expect(exposed.madeBy(exposed.inputOf('BatchNormalization'))).toBe('Reshape');
    // Instance norm reads the interleaved output, and the activation after it stays there too.
    const instance = rewrittenNodes(models.get('3d_instance_prelu')!.file);
    expect(instance.madeBy(instance.inputOf('InstanceNormalization'))).toBe('Reshape');
    expect(instance.madeBy(instance.inputOf('LeakyRelu'))).toBe('InstanceNormalization');
    // Unequal strides on the last two axes: the Transpose interleaves them.
    const aniso = rewrittenNodes(models.get('3d_aniso_last')!.file);
    expect(aniso.ops).toContain('Transpose');
    expect(aniso.ops).not.toContain('DepthToSpace');
  });

  it('leaves grouped and dilated ConvTransposes alone, saying why', () => {
    expect(optimizeOnnxModel(models.get('3d_groups2')!.file).report.skipped).toEqual([{ node: expect.any(String), reason: 'group ≠ 1' }]);
    const dilated = optimizeOnnxModel(models.get('3d_dilation2')!.file);
    expect(dilated.bytes).toBeNull();
    expect(dilated.report.skipped).toEqual([{ node: expect.any(String), reason: 'dilation ≠ 1' }]);
  });
});

describe('optimizeOnnxModel on hostile files', () => {
  it('leaves garbage, a truncated model, a model with unknown fields and a huge file as they are, with a reason, without throwing', () => {
    const noise = Uint8Array.from({ length: 4096 }, (_, n) => (n * 131 + 7) & 0xff);
    // Without the operator's name the bytes are not even decoded; with it, decoding fails.
    expect(optimizeOnnxModel(write('garbage.onnx', noise))).toEqual({
      bytes: null,
      report: { rewritten: [], skipped: [] },
      leakyRelus: 0,
      mergedConvs: 0,
      depthMajor: null,
      leaders: null,
      reason: null,
    });
    // Asked for the leaders tail, the same bytes are decoded, and fail.
    const tailed = optimizeOnnxModel(write('garbage.onnx', noise), 'unified', null, { channels: 21, k: 9 });
    expect(tailed.bytes).toBeNull();
    expect(tailed.reason).toMatch(/could not be rewritten/);
    const named = optimizeOnnxModel(write('garbage-named.onnx', Buffer.concat([noise, Buffer.from('ConvTranspose')])));
    expect(named.bytes).toBeNull();
    expect(named.reason).toMatch(/could not be rewritten/);
    const whole = readFileSync(models.get('unet')!.file);
    const truncated = optimizeOnnxModel(write('truncated.onnx', whole.subarray(0, whole.length >> 1)));
    expect(truncated.bytes).toBeNull();
    expect(truncated.reason).toMatch(/could not be rewritten/);
    expect(optimizeOnnxModel(join(dir, 'absent.onnx')).reason).toMatch(/ENOENT/);
    // Field 99 (varint 1) is in no onnx.proto: protobufjs would drop it, so the model is left as it is.
    const unknown = optimizeOnnxModel(
      write('unknown-field.onnx', Buffer.concat([readFileSync(models.get('3d_k2_s2_bias')!.file), Buffer.from([0x98, 0x06, 0x01])])),
    );
    expect(unknown.bytes).toBeNull();
    expect(unknown.reason).toMatch(/re-encoding changes its size .* fields this reader does not know/);
    const huge = join(dir, 'huge.onnx');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_REWRITE_BYTES + 1);
    expect(optimizeOnnxModel(huge).reason).toMatch(/more than the rewrite reads/);
  });

  it('skips weights whose bytes disagree with their dims, or that live in external data', () => {
    const model = decodeOnnxModel(readFileSync(models.get('3d_k2_s2_bias')!.file));
    const weight = model.graph!.initializer!.find((t) => (t.dims ?? []).length === 5)!;
    weight.dims = [3, 4, 2, 2, 200000];
    const lying = optimizeOnnxModel(write('lying.onnx', encodeOnnxModel(model)));
    expect(lying.bytes).toBeNull();
    expect(lying.report.skipped[0]?.reason).toMatch(/holds 384 bytes for 9600000 floats/);
    weight.dims = [3, 4, 2, 2, 2];
    weight.data_location = 1;
    expect(optimizeOnnxModel(write('external.onnx', encodeOnnxModel(model))).report.skipped[0]?.reason).toMatch(/stored outside the model/);
    // A stride of 10^8 (planning walks every phase: this exhausted the heap before the size check)
    weight.data_location = 0;
    const strides = model.graph!.node!.find((n) => n.op_type === 'ConvTranspose')!.attribute!.find((a) => a.name === 'strides')!;
    strides.ints = [100_000_000, 2, 2];
    const far = optimizeOnnxModel(write('far-strides.onnx', encodeOnnxModel(model)));
    expect(far.bytes).toBeNull();
    expect(far.report.skipped[0]?.reason).toBe('a stride past 16');
  });

  it('ends a decode that runs away on its worker (8 MB of packed int64s: one object per byte) and leaves the model as it is', async () => {
    const n = 8_000_000;
    const model = {
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        node: [{ op_type: 'ConvTranspose', input: ['x', 'w'], output: ['y'] }],
        initializer: [{ name: 't', data_type: 7, dims: [n], int64_data: new Array<number>(n).fill(1) }],
      },
    };
    const file = write('packed-int64.onnx', encodeOnnxModel(model));
    const result = await optimizeOnnxModelInWorker(file, 'unified');
    expect(result.bytes).toBeNull();
    expect(result.reason).toMatch(/could not be rewritten: .*memory limit/);
  });

  it('createOnnxRunner runs the rewritten UNet on the CPU (depth-major form off) and reports it; with the rewrite off it runs the file', async () => {
    const listed = models.get('unet')!;
    const spec = identitySpec({ modelPath: listed.file, roi: 16, outputChannels: 2 });
    const input = randomInput(2 * 16 ** 3, 4);
    const warnings: string[] = [];
    const rewritten = await createOnnxRunner(listed.file, 'cpu', spec, { onWarning: (w) => warnings.push(w), depthMajor: false });
    const plain = await createOnnxRunner(listed.file, 'cpu', spec, { rewrite: false });
    try {
      // Its two strided ResidualUnits each have a first conv and a residual conv on the same input.
      expect(rewritten.graphRewrite).toEqual({
        rewritten: 2,
        leakyRelus: expect.any(Number),
        mergedConvs: 2,
        depthMajor: 0,
        depthMajorReason: null,
        leadersTail: false,
        skipped: [],
        reason: null,
      });
      expect(plain.graphRewrite.rewritten).toBe(0);
      expect(warnings).toEqual([]);
      const a = await rewritten.runBatch(input, 2, [16, 16, 16]);
      const b = await plain.runBatch(input, 2, [16, 16, 16]);
      const { maxAbs, scale } = outputDifference(a, b);
      expect(maxAbs).toBeLessThanOrEqual(1e-5 * scale);
    } finally {
      await rewritten.release();
      await plain.release();
    }
  });

  it('createOnnxRunner logs why a model was left as it is, and still runs it', async () => {
    const model = decodeOnnxModel(readFileSync(models.get('3d_dilation2')!.file));
    const file = write('dilated.onnx', encodeOnnxModel(model));
    const warnings: string[] = [];
    const spec = identitySpec({ modelPath: file, roi: 3, outputChannels: 3 });
    const runner = await createOnnxRunner(file, 'cpu', spec, { onWarning: (w) => warnings.push(w) }).catch((e: unknown) => e);
    // The model's channels do not fit a segmentation spec; what matters is the log before the shape check.
    expect(warnings.join('\n')).toMatch(/left as it is: dilation ≠ 1/);
    if (runner instanceof Object && 'release' in runner) await (runner as { release(): Promise<void> }).release();
  });
});
