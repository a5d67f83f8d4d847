import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../../main/segmentation/loadModelSpec.js';
import type { ModelSpec } from '../../../main/segmentation/ModelSpec.js';
import { createOnnxRunner, type OnnxRunner } from '../../../main/segmentation/onnx/createOnnxRunner.js';
import { segmentVolume } from '../../../main/segmentation/segmentVolume.js';
import { orientationCode } from '../../../main/volume/volumeTransforms.js';
import { demoPhantomGrids as grids } from '../../phantoms/demoPhantomGrids.js';
import { dice, makeDemoPhantom } from '../../phantoms/makeDemoPhantom.js';

const bundle = fileURLToPath(new URL('../../../models/demo-ct-phantom', import.meta.url));

describe('the demo bundle (models/demo-ct-phantom) on phantoms generated here', () => {
  let spec: ModelSpec;
  let runner: OnnxRunner;
  beforeAll(async () => {
    spec = await loadModelSpec(bundle);
    runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
  });
  afterAll(() => runner?.release());

  it('is a runnable bundle using the whole MONAI pipeline', () => {
    expect(spec.unsupported).toEqual([]);
    expect(spec.preprocessing.map((s) => s.kind)).toEqual(['Orientationd', 'Spacingd', 'ScaleIntensityRanged']);
    expect(spec.inferer).toMatchObject({ roiSize: [64, 64, 64], mode: 'gaussian' });
    expect(spec.postprocessing.map((s) => s.kind)).toEqual(['Activationsd', 'Invertd', 'AsDiscreted']);
  });

  it.each(grids)('reaches Dice ≥ 0.95 per label on a phantom stored %s', async (_name, code, grid) => {
    const { image, truth } = makeDemoPhantom(4242 + grids.findIndex((g) => g[2] === grid), grid);
    expect(orientationCode(image)).toBe(code);
    const { labels } = await segmentVolume({ volume: image, spec, runBatch: runner.runBatch });
    expect(labels.dimensions).toEqual(image.dimensions);
    const organ = dice(labels.voxels, truth, 1);
    const bone = dice(labels.voxels, truth, 2);
    expect(organ).toBeGreaterThanOrEqual(0.95);
    expect(bone).toBeGreaterThanOrEqual(0.95);
  });

  // Two of the four grids (each takes three runs): one permuted, one oblique.
  it.each(grids.filter(([name]) => name === 'permuted' || name.includes('oblique')))(
    'gives the plain path’s labels through the many-class path on a phantom stored %s',
    async (_name, _code, grid) => {
      const { image } = makeDemoPhantom(4242 + grids.findIndex((g) => g[2] === grid), grid);
      const run = async (precision: 'reference' | 'float32' | 'float16') =>
        (await segmentVolume({ volume: image, spec, runBatch: runner.runBatch, precision })).labels.voxels;
      const plain = await run('reference');
      // only the winners interpolated: exactly the plain labels
      expect(Array.from(await run('float32'))).toEqual(Array.from(plain));
      // half-precision sums as well: the same labels on at least 99.9 % of voxels
      const half = await run('float16');
      expect(half.filter((l, n) => l !== plain[n]).length / plain.length).toBeLessThan(0.001);
      expect(new Set(plain).size).toBe(3);
    },
  );

  it('runs again with float32 sums when half-precision sums overflow (sigmoid outputs of logits scaled by 10 000)', async () => {
    // Softmax sums hold gaps below each voxel's best, which cannot overflow; sigmoid sums hold the logits themselves.
    const sigmoid: ModelSpec = {
      ...spec,
      postprocessing: spec.postprocessing.map((s) => (s.kind === 'Activationsd' ? { ...s, softmax: false, sigmoid: true } : s)),
    };
    const { image } = makeDemoPhantom(4242, grids[0]![2]);
    let calls = 0;
    const loud: typeof runner.runBatch = async (input, count, roi) => {
      calls++;
      return (await runner.runBatch(input, count, roi)).map((v) => v * 10_000);
    };
    const half = await segmentVolume({ volume: image, spec: sigmoid, runBatch: loud, precision: 'float16' });
    const halfCalls = calls;
    calls = 0;
    const plain = await segmentVolume({ volume: image, spec: sigmoid, runBatch: loud, precision: 'reference' });
    expect(Array.from(half.labels.voxels)).toEqual(Array.from(plain.labels.voxels));
    // the half-precision run stopped at its first finished plane and ran again whole
    expect(halfCalls).toBeGreaterThan(calls);
    expect(halfCalls).toBeLessThanOrEqual(2 * calls);
    // sigmoid saturates at 1 for the organ and for bone inside it, so argmax keeps background and organ
    expect(new Set(plain.labels.voxels).size).toBeGreaterThan(1);
  });
});
