import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../../../main/segmentation/loadModelSpec.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { segmentVolume } from '../../../../main/segmentation/segmentVolume.js';
import { createVolume } from '../../../../main/volume/Volume.js';
import { buildOnnxModel } from '../onnx/buildOnnxModel.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-slice-sidecar-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('a bare 2D ONNX model with an .axial.json sidecar naming SliceInferer', () => {
  it('runs slice by slice: a network whose classes are "positive" and "negative" labels each voxel by its sign', async () => {
    const model = join(folder, 'sign2d.onnx');
    // [N, 1, H, W] → [N, 2, H, W]: the image, then its negation; softmax then argmax is 1 exactly where the image is negative.
    writeFileSync(
      model,
      buildOnnxModel({
        nodes: [
          { op: 'Neg', inputs: ['x'], outputs: ['negated'] },
          { op: 'Concat', inputs: ['x', 'negated'], outputs: ['y'], attributes: { axis: 1 } },
        ],
        input: { name: 'x', shape: ['N', 1, 'H', 'W'] },
        output: { name: 'y', shape: ['N', 2, 'H', 'W'] },
      }),
    );
    writeFileSync(
      join(folder, 'sign2d.axial.json'),
      JSON.stringify({
        schemaVersion: 1,
        name: 'Sign per slice',
        input: { channels: 1 },
        output: { channels: 2, labels: { '0': 'positive', '1': 'negative' } },
        preprocessing: [],
        inferer: { _target_: 'SliceInferer', roi_size: [8, 6], spatial_dim: 1, sw_batch_size: 4, mode: 'gaussian' },
        postprocessing: [
          { _target_: 'Activationsd', softmax: true },
          { _target_: 'AsDiscreted', argmax: true },
        ],
      }),
    );
    const spec = await loadModelSpec(model);
    expect(spec.unsupported).toEqual([]);
    expect(spec.inferer).toMatchObject({ roiSize: [8, 1, 6], sliceAxis: 1, swBatchSize: 4, mode: 'gaussian' });
    const dimensions = [11, 5, 9] as const;
    const voxels = Int16Array.from({ length: 11 * 5 * 9 }, (_, n) => ((n * 37) % 23) - 11);
    const volume = createVolume({
      dimensions: [...dimensions],
      spacing: [1, 1, 2],
      origin: [0, 0, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      voxels,
      metadata: { format: 'nifti', modality: 'MR', windowPresets: [], fileCount: 1 },
    });
    const runner = await createOnnxRunner(model, 'cpu', spec);
    try {
      const { labels } = await segmentVolume({ volume, spec, runBatch: runner.runBatch });
      // Zero is a tie (argmax takes the first class); every other voxel is its sign, across every window overlap.
      expect(Array.from(labels.voxels)).toEqual(Array.from(voxels, (v) => (v < 0 ? 1 : 0)));
    } finally {
      await runner.release();
    }
  });
});
