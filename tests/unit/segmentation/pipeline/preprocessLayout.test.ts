import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../../core/geometry/types.js';
import { unit } from '../../../../core/geometry/vec3.js';
import type { PreprocessingStep } from '../../../../main/segmentation/ModelSpec.js';
import { transposeToKFastest } from '../../../../main/segmentation/inference/transposeToKFastest.js';
import { orientationMapping, toOriented, toOrientedKFastest } from '../../../../main/segmentation/pipeline/orientationMapping.js';
import { preprocessVolume } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import { createVolume, type Volume } from '../../../../main/volume/Volume.js';

/** AIL storage: i along −y, j along −z, k along +x, so RAS permutes every axis and flips two. */
const ail: Mat3 = [
  [0, -1, 0],
  [0, 0, -1],
  [1, 0, 0],
];
const lps: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/** Int16 voxels of three different sizes: a bright ball in a box in noise, so every step has edges to move. */
function scan(direction: Mat3, dimensions: Vec3 = [23, 17, 13]): Volume {
  const [ni, nj] = dimensions;
  let state = 7;
  const voxels = Int16Array.from({ length: dimensions[0] * dimensions[1] * dimensions[2] }, (_, n) => {
    const [i, j, k] = [n % ni, Math.floor(n / ni) % nj, Math.floor(n / (ni * nj))];
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const noise = (state % 41) - 20;
    if ((i - 14) ** 2 + (j - 8) ** 2 + (k - 6) ** 2 < 16) return 900 + noise;
    return i > 2 && i < 19 && j > 3 && j < 13 && k > 1 && k < 11 ? 40 + noise : -1000 + noise;
  });
  return createVolume({
    dimensions,
    spacing: [0.8, 1.1, 1.9],
    origin: [-20, 10, 35],
    direction,
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}

const scaleRange: PreprocessingStep = { kind: 'ScaleIntensityRanged', aMin: -57, aMax: 164, bMin: 0, bMax: 1, clip: true };

const pipelines: [string, Direction, PreprocessingStep[]][] = [
  [
    'spleen-like: RAS, resampled on every axis, scaled',
    'ail',
    [{ kind: 'Orientationd', axcodes: 'RAS' }, { kind: 'Spacingd', pixdim: [1.5, 0.7, 2.3], mode: 'bilinear' }, scaleRange],
  ],
  [
    'LIA, nearest resampling, cropped to the foreground with a margin past the edge, then a centred crop and an edge pad',
    'lps',
    [
      { kind: 'Orientationd', axcodes: 'LIA' },
      { kind: 'Spacingd', pixdim: [1.2, 0, 1.4], mode: 'nearest' },
      { kind: 'CropForegroundd', threshold: -500, margin: [1, 3, 5], allowSmaller: false, padMode: 'constant' },
      { kind: 'ResizeWithPadOrCropd', spatialSize: [9, 40, 0], padValue: 0, padMode: 'edge' },
    ],
  ],
  [
    'RAS, then padded on two axes with their median (the corners depend on the axes’ order)',
    'ail',
    [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'ResizeWithPadOrCropd', spatialSize: [20, 30, 28], padValue: 0, padMode: 'median' },
    ],
  ],
  [
    'no Orientationd: resampled and padded with the mean where the voxels are stored',
    'ail',
    [
      { kind: 'Spacingd', pixdim: [1, 1, 1], mode: 'bilinear' },
      { kind: 'ResizeWithPadOrCropd', spatialSize: [24, 24, 30], padValue: 0, padMode: 'mean' },
      scaleRange,
    ],
  ],
  ['no spatial step', 'lps', [scaleRange]],
  ['no step at all: the stored int16 voxels themselves', 'ail', []],
  [
    'a step before Orientationd reads the voxels, and a second Orientationd orients the first one’s grid',
    'ail',
    [
      { kind: 'ScaleIntensityRangePercentilesd', lower: 5, upper: 95, bMin: 0, bMax: 1, clip: true, relative: false },
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Orientationd', axcodes: 'SPL' },
      { kind: 'Spacingd', pixdim: [1.3, 1.3, 1.3], mode: 'bilinear' },
    ],
  ],
];
type Direction = 'ail' | 'lps';

describe("preprocessVolume's k-fastest layout (the network's order, written by Orientationd's copy)", () => {
  it.each(pipelines)('%s: the same grid, values and inverse as the i-fastest result transposed', (_name, direction, steps) => {
    const volume = scan(direction === 'ail' ? ail : lps);
    const plain = preprocessVolume(volume, steps);
    const network = preprocessVolume(volume, steps, undefined, [], 'k-fastest');
    const { data, ...grid } = network.image;
    const { dimensions, spacing, origin, direction: axes, data: plainData } = plain.image;
    expect(grid).toEqual({ dimensions, spacing, origin, direction: axes });
    expect(network.inverse).toEqual(plain.inverse);
    expect(network.channels).toHaveLength(1);
    expect(network.channels[0]).toBe(data);
    // Bit for bit, and not trivially: the steps left edges and more than one value.
    expect(Array.from(data)).toEqual(Array.from(transposeToKFastest(plainData, dimensions)));
    expect(new Set(data).size).toBeGreaterThan(2);
    expect(data).toBeInstanceOf(Float32Array);
  });

  it('moves further channels the same way, and reads their foreground for CropForegroundd', () => {
    const volume = scan(ail);
    const second = Float32Array.from(volume.voxels, (v, n) => (n % 5 === 0 ? 2000 : -v));
    const steps: PreprocessingStep[] = [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Spacingd', pixdim: [1.4, 1.2, 1], mode: 'bilinear' },
      { kind: 'CropForegroundd', threshold: 1500, margin: [2, 0, 1], allowSmaller: true, padMode: 'constant' },
      { kind: 'NormalizeIntensityd', nonzero: false, subtrahend: null, divisor: null, channelWise: true },
    ];
    const plain = preprocessVolume(volume, steps, undefined, [second.slice()]);
    const network = preprocessVolume(volume, steps, undefined, [second.slice()], 'k-fastest');
    expect(network.inverse).toEqual(plain.inverse);
    expect(network.channels).toHaveLength(2);
    const dims = plain.image.dimensions;
    // NormalizeIntensity's mean and std are sums over the voxels, taken in another order here: float32 rounding apart.
    network.channels.forEach((c, n) => {
      const expected = transposeToKFastest(plain.channels[n]!, dims);
      expect(c.length).toBe(expected.length);
      expect(c.reduce((worst, v, m) => Math.max(worst, Math.abs(v - expected[m]!)), 0)).toBeLessThan(1e-5);
    });
  });

  it('words a sheared grid’s warning and a refused grid as the i-fastest run does (the axes in the network’s order)', () => {
    const volume = createVolume({ ...scan(lps, [28, 24, 16]), direction: [[-1, 0, 0], unit([0, -1, 0.35]), [0, 0, 1]] });
    const sheared: PreprocessingStep[] = [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Spacingd', pixdim: [1.5, 1.1, 1.7], mode: 'bilinear' },
    ];
    const warned = preprocessVolume(volume, sheared, undefined, [], 'k-fastest').warnings;
    expect(warned).toHaveLength(1);
    expect(warned).toEqual(preprocessVolume(volume, sheared).warnings);
    const huge: PreprocessingStep[] = [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'ResizeWithPadOrCropd', spatialSize: [8000, 30, 2000], padValue: 0, padMode: 'constant' },
    ];
    expect(() => preprocessVolume(volume, huge, 'model.onnx', [], 'k-fastest')).toThrow(/ResizeWithPadOrCropd would make a 8000×30×2000 grid/);
  });
});

describe('toOrientedKFastest', () => {
  it.each(['RAS', 'LPI', 'SAR', 'IRP'])('writes the %s grid of an int16 scan k fastest, as toOriented then a transposition would', (axcodes) => {
    const volume = scan(ail);
    const mapping = orientationMapping(volume.dimensions, volume.direction, axcodes);
    const expected = transposeToKFastest(toOriented(mapping, volume.voxels, new Float32Array(volume.voxels.length)), mapping.orientedDimensions);
    expect(Array.from(toOrientedKFastest(mapping, volume.voxels, new Float32Array(volume.voxels.length)))).toEqual(Array.from(expected));
  });
});
