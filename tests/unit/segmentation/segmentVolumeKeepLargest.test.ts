import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../core/geometry/types.js';
import { monaiSlidingWindowDefaults, type ModelSpec, type PostprocessingStep } from '../../../main/segmentation/ModelSpec.js';
import type { RunBatch } from '../../../main/segmentation/inference/slidingWindowInference.js';
import { segmentVolume } from '../../../main/segmentation/segmentVolume.js';
import { tinyVolume } from '../../tinyVolume.js';

/**
 * A 16×7×7 scan of 1 mm voxels and Spacingd to 3 mm: the network grid is 6×3×3 (round((n − 1)/3 + 1)), network voxel c at
 * scan voxel 3c. Inverted by nearest neighbour, scan voxel s takes network voxel round(s/3) (no halves), so along i the
 * network voxels 0…5 cover 2, 3, 3, 3, 3 and 2 scan voxels, and along j and k 2, 3 and 2.
 * Two components of label 1, apart (26-connected) on either grid, drawn as the scan voxels of their network voxels:
 *   B: network i 0…3, j 0, k 0: 4 network voxels, (2 + 3 + 3 + 3) × 2 × 2 = 44 scan voxels;
 *   A: network i 1…3, j 1, k 2: 3 network voxels, 9 × 3 × 2 = 54 scan voxels.
 * On the network grid B is the larger, on the scan's grid A.
 */
const dimensions: Vec3 = [16, 7, 7];
const inB = (c: Vec3): boolean => c[0] <= 3 && c[1] === 0 && c[2] === 0;
const inA = (c: Vec3): boolean => c[0] >= 1 && c[0] <= 3 && c[1] === 1 && c[2] === 2;
const network = (n: number): Vec3 => [Math.round((n % 16) / 3), Math.round((Math.floor(n / 16) % 7) / 3), Math.round(Math.floor(n / 112) / 3)];
const volume = tinyVolume(
  dimensions,
  Float32Array.from({ length: 16 * 7 * 7 }, (_, n) => (inA(network(n)) || inB(network(n)) ? 1 : 0)),
);

/** Two channels whose argmax is the input's label: logits 0.5 − x and x − 0.5. */
const runBatch: RunBatch = (input, count, roi) => {
  const patch = roi[0] * roi[1] * roi[2];
  const out = new Float32Array(count * 2 * patch);
  for (let b = 0; b < count; b++) {
    for (let p = 0; p < patch; p++) {
      out[b * 2 * patch + p] = 0.5 - input[b * patch + p]!;
      out[(b * 2 + 1) * patch + p] = input[b * patch + p]! - 0.5;
    }
  }
  return Promise.resolve(out);
};

const activation: PostprocessingStep = { kind: 'Activationsd', softmax: true, sigmoid: false };
const discrete: PostprocessingStep = { kind: 'AsDiscreted', argmax: true, threshold: null };
const keepLargest: PostprocessingStep = { kind: 'KeepLargestConnectedComponentd', appliedLabels: [1], independent: true, connectivity: 3 };
const invert: PostprocessingStep = { kind: 'Invertd', nearestInterp: true };

function spec(postprocessing: PostprocessingStep[]): ModelSpec {
  return {
    name: 'two components',
    source: 'sidecar',
    modelPath: '/models/two.onnx',
    input: { channels: 1 },
    output: { channels: 2, labels: [{ value: 1, name: 'organ' }] },
    preprocessing: [{ kind: 'Spacingd', pixdim: [3, 3, 3], mode: 'nearest' }],
    inferer: { ...monaiSlidingWindowDefaults, roiSize: [8, 8, 8] },
    postprocessing,
    unsupported: [],
    ignored: [],
    warnings: [],
  };
}

/** How many scan voxels of each component are labelled 1 (a labelled voxel of neither is named). */
function kept(labels: ArrayLike<number>): string {
  let a = 0;
  let b = 0;
  for (let n = 0; n < labels.length; n++) {
    if (!labels[n]) continue;
    if (inA(network(n))) a++;
    else if (inB(network(n))) b++;
    else return `a stray voxel at ${n}`;
  }
  return `A ${a}, B ${b}`;
}

describe('segmentVolume: KeepLargestConnectedComponentd where the bundle puts it', () => {
  it('the scan holds both components', () => {
    expect(kept(volume.voxels)).toBe('A 54, B 44');
  });

  it.each([
    ['before Invertd (prostate_mri_anatomy’s order): on the network grid, where B is the larger', [activation, discrete, keepLargest, invert], 'A 0, B 44'],
    ['with no Invertd: on the network grid, as MONAI leaves it there', [activation, discrete, keepLargest], 'A 0, B 44'],
    ['after Invertd: on the scan’s grid, where A is the larger', [activation, discrete, invert, keepLargest], 'A 54, B 0'],
  ])('%s', async (_, postprocessing, expected) => {
    const result = await segmentVolume({ volume, spec: spec(postprocessing), runBatch });
    expect(kept(result.labels.voxels)).toBe(expected);
  });
});
