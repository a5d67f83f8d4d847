import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../core/geometry/types.js';
import { monaiSlidingWindowDefaults, type ModelSpec, type PostprocessingStep } from '../../../main/segmentation/ModelSpec.js';
import type { RunBatch } from '../../../main/segmentation/inference/slidingWindowInference.js';
import { segmentVolume } from '../../../main/segmentation/segmentVolume.js';
import { createVolume } from '../../../main/volume/Volume.js';

const direction: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const dimensions: Vec3 = [6, 5, 4];
/** Voxel values 0..119: the network below turns them into two overlapping regions. */
const volume = createVolume({
  dimensions,
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction,
  voxels: Float32Array.from({ length: 120 }, (_, n) => n),
  metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
});

/** A 1×1×1 "network" with two output channels: logit x − 40 (on from 40) and 80 − x (on below 80); sigmoid then 0.5 threshold. */
const runBatch: RunBatch = (input, count, roi) => {
  const patch = roi[0] * roi[1] * roi[2];
  const out = new Float32Array(count * 2 * patch);
  for (let b = 0; b < count; b++) {
    for (let p = 0; p < patch; p++) {
      const x = input[b * patch + p]!;
      out[b * 2 * patch + p] = x - 40.5;
      out[(b * 2 + 1) * patch + p] = 79.5 - x;
    }
  }
  return Promise.resolve(out);
};

function spec(postprocessing: PostprocessingStep[]): ModelSpec {
  return {
    name: 'two regions',
    source: 'sidecar',
    modelPath: '/models/two.onnx',
    input: { channels: 1 },
    output: {
      channels: 2,
      labels: [
        { value: 0, name: 'upper' },
        { value: 1, name: 'lower' },
      ],
    },
    preprocessing: [],
    inferer: { ...monaiSlidingWindowDefaults, roiSize: [4, 4, 4] },
    postprocessing,
    unsupported: [],
    ignored: [],
    warnings: [],
  };
}

const sigmoidThreshold: PostprocessingStep[] = [
  { kind: 'Activationsd', softmax: false, sigmoid: true },
  { kind: 'AsDiscreted', argmax: false, threshold: 0.5 },
];

describe('segmentVolume with sigmoid outputs of several channels', () => {
  it('gives one overlapping layer per channel, and a label map of each voxel’s last channel that is on', async () => {
    const result = await segmentVolume({ volume, spec: spec(sigmoidThreshold), runBatch });
    expect(result.layers?.map((l) => l.name)).toEqual(['upper', 'lower']);
    const [upper, lower] = result.layers!.map((l) => Array.from(l.labels.voxels));
    expect(upper).toEqual(Array.from({ length: 120 }, (_, n) => (n >= 41 ? 1 : 0)));
    expect(lower).toEqual(Array.from({ length: 120 }, (_, n) => (n <= 79 ? 1 : 0)));
    // 41..79 are in both layers; the label map keeps the later channel there.
    expect(Array.from(result.labels.voxels)).toEqual(Array.from({ length: 120 }, (_, n) => (n <= 79 ? 2 : 1)));
    expect(result.segments.map((s) => [s.value, s.name])).toEqual([
      [1, 'upper'],
      [2, 'lower'],
    ]);
    expect(result.layers!.map((l) => l.segments.map((s) => [s.value, s.name]))).toEqual([[[1, 'upper']], [[1, 'lower']]]);
    expect(result.layers![0]!.labels.dimensions).toEqual(dimensions);
    expect(result.warnings).toEqual([]);
  });

  it('merges them with a torch.where Lambdad into one label map, layers kept', async () => {
    const merge: PostprocessingStep = {
      kind: 'Lambdad',
      source: 'lambda x: torch.where(x[[0]] > 0, torch.where(x[[1]] > 0, 3, 7), 0)',
      expression: {
        kind: 'where',
        condition: { kind: 'compare', op: '>', left: { kind: 'channel', index: 0 }, right: { kind: 'literal', value: 0 } },
        whenTrue: {
          kind: 'where',
          condition: { kind: 'compare', op: '>', left: { kind: 'channel', index: 1 }, right: { kind: 'literal', value: 0 } },
          whenTrue: { kind: 'literal', value: 3 },
          whenFalse: { kind: 'literal', value: 7 },
        },
        whenFalse: { kind: 'literal', value: 0 },
      },
    };
    const result = await segmentVolume({ volume, spec: spec([...sigmoidThreshold, merge]), runBatch });
    expect(Array.from(result.labels.voxels)).toEqual(Array.from({ length: 120 }, (_, n) => (n < 41 ? 0 : n <= 79 ? 3 : 7)));
    expect(result.segments.map((s) => [s.value, s.name])).toEqual([
      [3, 'lower'],
      // 7 is where channel 0 is on and channel 1 off: no single channel's test gives it.
      [7, 'label 7'],
    ]);
    expect(result.layers).toHaveLength(2);
  });

  it('keeps the largest component per channel as MONAI does on a one-hot prediction (channel 0 only when named)', async () => {
    // Channel 0 on at values 20-25 and 60-100, channel 1 at 0-10 and 100-119: two components each (voxel n holds n,
    // i fastest, so a run of values is a run of voxels).
    const twoEach: RunBatch = (input, count, roi) => {
      const patch = roi[0] * roi[1] * roi[2];
      const out = new Float32Array(count * 2 * patch);
      for (let b = 0; b < count; b++) {
        for (let p = 0; p < patch; p++) {
          const x = input[b * patch + p]!;
          out[b * 2 * patch + p] = (x >= 20 && x <= 25) || (x >= 60 && x <= 100) ? 5 : -5;
          out[(b * 2 + 1) * patch + p] = x <= 10 || x >= 100 ? 5 : -5;
        }
      }
      return Promise.resolve(out);
    };
    const keep = (appliedLabels: number[] | null, independent = true): PostprocessingStep => ({
      kind: 'KeepLargestConnectedComponentd',
      appliedLabels,
      independent,
      connectivity: 3,
    });
    const on = (layer: { labels: { voxels: ArrayLike<number> } }): number[] => Array.from(layer.labels.voxels).flatMap((v, n) => (v ? [n] : []));
    const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, n) => from + n);
    // Without applied_labels MONAI's get_unique_labels discards channel 0: only channel 1 is cleaned.
    const byDefault = await segmentVolume({ volume, spec: spec([...sigmoidThreshold, keep(null)]), runBatch: twoEach });
    expect(on(byDefault.layers![0]!)).toEqual([...range(20, 25), ...range(60, 100)]);
    expect(on(byDefault.layers![1]!)).toEqual(range(100, 119));
    const both = await segmentVolume({ volume, spec: spec([...sigmoidThreshold, keep([0, 1])]), runBatch: twoEach });
    expect(on(both.layers![0]!)).toEqual(range(60, 100));
    // The label map follows the cleaned channels.
    expect(Array.from(both.labels.voxels).filter((v) => v !== 0)).toHaveLength(41 + 20 - 1);
    // Not independent: the union (0-10, 20-25, 60-119) keeps its largest component, 60-119, in each channel.
    const union = await segmentVolume({ volume, spec: spec([...sigmoidThreshold, keep([0, 1], false)]), runBatch: twoEach });
    expect(on(union.layers![0]!)).toEqual(range(60, 100));
    expect(on(union.layers![1]!)).toEqual(range(100, 119));
  });

  it('refuses a model of several input images given one, naming its channels', async () => {
    const four: ModelSpec = { ...spec(sigmoidThreshold), input: { channels: 4, channelNames: ['T1c', 'T1', 'T2', 'FLAIR'] } };
    await expect(segmentVolume({ volume, spec: four, runBatch })).rejects.toThrow('two regions takes 4 input images (T1c, T1, T2, FLAIR); 1 given');
  });
});
