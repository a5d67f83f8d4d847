import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../../core/geometry/types.js';
import type { PreprocessingStep } from '../../../../main/segmentation/ModelSpec.js';
import { assertWithinGridBudget } from '../../../../main/segmentation/pipeline/assertWithinGridBudget.js';
import { preprocessVolume } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import { createVolume, type Volume } from '../../../../main/volume/Volume.js';

/** Stored with i along -x and k along -z, so Orientationd RAS... flips and permutes. */
const direction: Mat3 = [
  [0, 1, 0],
  [-1, 0, 0],
  [0, 0, -1],
];
const dimensions: Vec3 = [9, 7, 6];

function volumeOf(voxels: Float32Array): Volume {
  return createVolume({
    dimensions,
    spacing: [1.2, 0.9, 2],
    origin: [3, -4, 10],
    direction,
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}

/** Seeded values, 0 in a fixed share of voxels (the background NormalizeIntensity(nonzero) leaves alone). */
function channel(seed: number, zeroEvery: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: 9 * 7 * 6 }, (_, n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return n % zeroEvery === 0 ? 0 : 50 + (state % 1000) / 7;
  });
}

describe('preprocessVolume with several channels (MONAI on a [C, i, j, k] image)', () => {
  const a = channel(1, 5);
  const b = channel(2, 3);

  it('moves every channel through Orientationd, Spacingd and a voxel-wise step as it moves that channel alone', () => {
    const steps: PreprocessingStep[] = [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Spacingd', pixdim: [1.5, 1.1, 1.7], mode: 'bilinear' },
      { kind: 'ScaleIntensityRanged', aMin: 0, aMax: 200, bMin: -1, bMax: 1, clip: true },
    ];
    const both = preprocessVolume(volumeOf(a), steps, undefined, [b]);
    const alone = [a, b].map((c) => preprocessVolume(volumeOf(c), steps).image);
    expect(both.channels).toHaveLength(2);
    expect(both.image.dimensions).toEqual(alone[0]!.dimensions);
    expect(both.channels[0]).toEqual(alone[0]!.data);
    expect(both.channels[1]).toEqual(alone[1]!.data);
  });

  it('normalizes each channel over its own non-zero voxels with channel_wise, over both channels’ together without', () => {
    const stats = (values: Float32Array[]) => {
      const nonzero = values.flatMap((v) => Array.from(v).filter((x) => x !== 0));
      const mean = nonzero.reduce((s, x) => s + x, 0) / nonzero.length;
      return { mean, std: Math.sqrt(nonzero.reduce((s, x) => s + (x - mean) ** 2, 0) / nonzero.length) };
    };
    const normalize = (channelWise: boolean): PreprocessingStep => ({
      kind: 'NormalizeIntensityd',
      nonzero: true,
      channelWise,
      subtrahend: null,
      divisor: null,
    });
    const check = (out: Float32Array, source: Float32Array, s: { mean: number; std: number }) =>
      source.forEach((x, n) => expect(out[n]).toBeCloseTo(x === 0 ? 0 : (x - s.mean) / s.std, 4));
    const wise = preprocessVolume(volumeOf(a), [normalize(true)], undefined, [b.slice()]).channels;
    check(wise[0]!, a, stats([a]));
    check(wise[1]!, b, stats([b]));
    const joint = preprocessVolume(volumeOf(a), [normalize(false)], undefined, [b.slice()]).channels;
    check(joint[0]!, a, stats([a, b]));
    check(joint[1]!, b, stats([a, b]));
    // The two ways differ: the channels' means differ by their share of zeros.
    expect(Math.abs(joint[0]![1]! - wise[0]![1]!)).toBeGreaterThan(1e-3);
  });

  it('rescales min–max and percentiles per channel with channel_wise, over both channels together without', () => {
    const range = (values: Float32Array) => [Math.min(...values), Math.max(...values)];
    const minMax = (channelWise: boolean): PreprocessingStep => ({
      kind: 'ScaleIntensityd',
      minv: 0,
      maxv: 1,
      factor: null,
      ...(channelWise ? { channelWise: true } : {}),
    });
    const wise = preprocessVolume(volumeOf(a), [minMax(true)], undefined, [b.slice()]).channels;
    // Each channel reaches 0 and 1 on its own only per channel: the channels' ranges differ.
    expect(wise.map(range)).toEqual([
      [0, 1],
      [0, 1],
    ]);
    const joint = preprocessVolume(volumeOf(a), [minMax(false)], undefined, [b.slice()]).channels;
    const both = [...range(joint[0]!), ...range(joint[1]!)];
    expect(Math.min(...both)).toBe(0);
    expect(Math.max(...both)).toBeCloseTo(1, 6);
    expect(Math.min(range(joint[0]!)[1]!, range(joint[1]!)[1]!)).toBeLessThan(0.999);
    const percentiles = (channelWise: boolean): PreprocessingStep => ({
      kind: 'ScaleIntensityRangePercentilesd',
      lower: 0,
      upper: 100,
      bMin: -1,
      bMax: 1,
      clip: false,
      relative: false,
      ...(channelWise ? { channelWise: true } : {}),
    });
    expect(preprocessVolume(volumeOf(a), [percentiles(true)], undefined, [b.slice()]).channels.map(range)).toEqual([
      [-1, 1],
      [-1, 1],
    ]);
  });

  it('crops to the voxels where any channel is foreground (MONAI: select_fn(img).any(0))', () => {
    const box = (i0: number, i1: number, j0: number, j1: number, k0: number, k1: number) =>
      Float32Array.from({ length: 9 * 7 * 6 }, (_, n) => {
        const [i, j, k] = [n % 9, Math.floor(n / 9) % 7, Math.floor(n / 63)];
        return i >= i0 && i <= i1 && j >= j0 && j <= j1 && k >= k0 && k <= k1 ? 10 : 0;
      });
    const crop: PreprocessingStep = { kind: 'CropForegroundd', threshold: 0, margin: [0, 0, 0], allowSmaller: true, padMode: 'constant' };
    const first = box(1, 3, 2, 4, 1, 2);
    const second = box(5, 7, 3, 5, 3, 4);
    const { image, channels, inverse } = preprocessVolume(volumeOf(first), [crop], undefined, [second]);
    // The hull of both boxes: i 1-7, j 2-5, k 1-4.
    expect(image.dimensions).toEqual([7, 4, 4]);
    expect(inverse.offset).toEqual([1, 2, 1]);
    expect(channels[1]!.reduce((s, x) => s + x, 0)).toBe(10 * 18);
    expect(preprocessVolume(volumeOf(first), [crop]).image.dimensions).toEqual([3, 3, 2]);
  });

  it('counts every channel in the grid budget: a pad one channel may make is refused for two, before it is allocated', () => {
    // 512×512×513 = 134.5 M values: under the 2^28-value floor for one channel, over it as two (1.0 GiB of float32).
    const pad: PreprocessingStep = { kind: 'ResizeWithPadOrCropd', spatialSize: [512, 512, 513], padValue: 0, padMode: 'constant' };
    expect(() => assertWithinGridBudget(pad.kind, [512, 512, 513], dimensions)).not.toThrow();
    let error: unknown;
    try {
      preprocessVolume(volumeOf(a), [pad], 'model.onnx', [b.slice()]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({ code: 'VOLUME_TOO_LARGE' });
    expect((error as Error).message).toMatch(
      /^model\.onnx: ResizeWithPadOrCropd would make a 512×512×513×2 grid from this 9×7×6×2 scan .* 1\.0 GiB as float32/,
    );
  });
});
