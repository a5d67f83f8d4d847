import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../../main/segmentation/loadModelSpec.js';
import type { ModelSpec } from '../../../main/segmentation/ModelSpec.js';
import { createOnnxRunner, type OnnxRunner } from '../../../main/segmentation/onnx/createOnnxRunner.js';
import type { RunBatch } from '../../../main/segmentation/inference/slidingWindowInference.js';
import { segmentVolume } from '../../../main/segmentation/segmentVolume.js';
import { orientationCode } from '../../../main/volume/volumeTransforms.js';
import { demoPhantomGrids as grids } from '../../phantoms/demoPhantomGrids.js';
import { makeDemoPhantom } from '../../phantoms/makeDemoPhantom.js';

const bundle = fileURLToPath(new URL('../../../models/demo-ct-phantom', import.meta.url));

describe('segmentVolume through the leaders store (the many-class path) on the demo bundle’s phantoms', () => {
  let spec: ModelSpec;
  let runner: OnnxRunner;
  beforeAll(async () => {
    spec = await loadModelSpec(bundle);
    runner = await createOnnxRunner(spec.modelPath, 'cpu', spec);
  });
  afterAll(() => runner?.release());

  it.each(grids)('gives the plain path’s labels on a phantom stored %s, in one run', async (_name, code, grid) => {
    const { image } = makeDemoPhantom(4242 + grids.findIndex((g) => g[2] === grid), grid);
    expect(orientationCode(image)).toBe(code);
    let calls = 0;
    const counted: RunBatch = (input, count, roi) => {
      calls += count;
      return runner.runBatch(input, count, roi);
    };
    const leaders = (await segmentVolume({ volume: image, spec, runBatch: counted, precision: 'leaders' })).labels.voxels;
    const leaderCalls = calls;
    calls = 0;
    const plain = (await segmentVolume({ volume: image, spec, runBatch: counted, precision: 'reference' })).labels.voxels;
    expect(Array.from(leaders)).toEqual(Array.from(plain));
    // the leaders store decided every voxel: no second run with dense sums
    expect(leaderCalls).toBe(calls);
    expect(new Set(plain).size).toBe(3);
  });

  it('runs again with dense sums when more classes than the store holds come near the best (the demo’s 3 classes and 17 close copies)', async () => {
    // 20 channels: the network's 3, then 17 copies of its background a tenth of a logit apart
    const channels = 20;
    const wide: ModelSpec = {
      ...spec,
      output: { ...spec.output, channels, labels: Array.from({ length: channels }, (_, c) => spec.output.labels[c] ?? { value: c, name: `copy ${c}` }) },
    };
    let calls = 0;
    const widened: RunBatch = async (input, count, roi) => {
      calls += count;
      const out = await runner.runBatch(input, count, roi);
      const size = out.length / (3 * count);
      const result = new Float32Array(count * channels * size);
      for (let b = 0; b < count; b++) {
        result.set(out.subarray(b * 3 * size, (b + 1) * 3 * size), b * channels * size);
        for (let c = 3; c < channels; c++) {
          for (let v = 0; v < size; v++) result[(b * channels + c) * size + v] = out[b * 3 * size + v]! - 0.1 * c;
        }
      }
      return result;
    };
    const { image } = makeDemoPhantom(4242, grids[0]![2]);
    const auto = await segmentVolume({ volume: image, spec: wide, runBatch: widened });
    const autoCalls = calls;
    calls = 0;
    const plain = await segmentVolume({ volume: image, spec: wide, runBatch: widened, precision: 'reference' });
    expect(Array.from(auto.labels.voxels)).toEqual(Array.from(plain.labels.voxels));
    // 'auto' chose the leaders store (20 classes), which gave up at its first batch of windows and ran again whole
    expect(autoCalls).toBeGreaterThan(calls);
    expect(autoCalls - calls).toBeLessThanOrEqual(spec.inferer.swBatchSize);
  });
});
