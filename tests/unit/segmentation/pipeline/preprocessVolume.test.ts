import { describe, expect, it } from 'vitest';
import { createInverter } from '../../../../main/segmentation/inference/createInverter.js';
import { slidingWindowInference } from '../../../../main/segmentation/inference/slidingWindowInference.js';
import { monaiSlidingWindowDefaults, type PreprocessingStep } from '../../../../main/segmentation/ModelSpec.js';
import { fromOriented, orientationMapping, orientedGeometry, toOriented } from '../../../../main/segmentation/pipeline/orientationMapping.js';
import { preprocessVolume } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import { spacingGrid } from '../../../../main/segmentation/pipeline/spacingGrid.js';
import { createVolume, type Volume } from '../../../../main/volume/Volume.js';
import { type Mat3, type Vec3 } from '../../../../core/geometry/types.js';
import { orientationCode } from '../../../../main/volume/volumeTransforms.js';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import type { LabelArray } from '../../../../core/labels/LabelArray.js';

const lps: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const permuted: Mat3 = [
  [0, -1, 0],
  [0, 0, -1],
  [1, 0, 0],
];

/** A label-like test volume with three different sizes: value = 1 inside a box, 2 inside a ball, 0 elsewhere. */
function phantom(direction: Mat3, spacing: Vec3 = [1.5, 1.5, 1.5]): Volume {
  const dims: Vec3 = [23, 17, 13];
  const voxels = new Float32Array(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++) {
    for (let j = 0; j < dims[1]; j++) {
      for (let i = 0; i < dims[0]; i++, n++) {
        if ((i - 15) ** 2 + (j - 8) ** 2 + (k - 6) ** 2 < 16) voxels[n] = 2;
        else if (i > 2 && i < 9 && j > 3 && j < 12 && k > 1 && k < 10) voxels[n] = 1;
      }
    }
  }
  return createVolume({ dimensions: dims, spacing, origin: [-20, 10, 35], direction, voxels, metadata: { format: 'nifti', windowPresets: [], fileCount: 1 } });
}

describe('Orientationd', () => {
  it('permutes and flips so the axes point as asked, keeping every voxel at its world position', () => {
    const volume = phantom(permuted);
    expect(orientationCode(volume)).toBe('AIL');
    const mapping = orientationMapping(volume.dimensions, volume.direction, 'RAS');
    const oriented = { dimensions: mapping.orientedDimensions, ...orientedGeometry(mapping, volume) };
    expect(orientationCode(oriented)).toBe('RAS');
    expect(oriented.dimensions).toEqual([13, 23, 17]);
    const data = toOriented(mapping, Float32Array.from(volume.voxels), new Float32Array(volume.voxels.length));
    // the voxel at oriented (4, 5, 6) holds the source value found at the same world point
    const world = indexToWorld(oriented, [4, 5, 6]);
    const sourceIndex = [0, 1, 2].map((a) =>
      Math.round((world as readonly number[]).reduce((s, w, r) => s + (w - volume.origin[r]!) * volume.direction[a]![r]!, 0) / volume.spacing[a]!),
    );
    const [si, sj, sk] = sourceIndex as [number, number, number];
    expect(data[4 + 13 * (5 + 23 * 6)]).toBe(volume.voxels[si + 23 * (sj + 17 * sk)]);
    expect(Array.from(fromOriented(mapping, data, new Float32Array(data.length)))).toEqual(Array.from(volume.voxels));
  });

  it('puts every voxel at its world position for all 48 axis codes, from int16 voxels and back', () => {
    const volume = phantom(permuted);
    const stored = Int16Array.from(volume.voxels, (v, n) => v * 1000 + (n % 997));
    const pairs = ['LR', 'PA', 'SI'];
    const codes = [0, 1, 2].flatMap((a) =>
      [0, 1, 2]
        .filter((b) => b !== a)
        .flatMap((b) => {
          const c = 3 - a - b;
          return [0, 1, 2, 3, 4, 5, 6, 7].map((flips) => [a, b, c].map((axis, n) => pairs[axis]![(flips >> n) & 1]).join(''));
        }),
    );
    expect(new Set(codes).size).toBe(48);
    const sourceAt = (world: readonly number[]): number => {
      const [si, sj, sk] = [0, 1, 2].map((a) =>
        Math.round(world.reduce((s, w, r) => s + (w - volume.origin[r]!) * volume.direction[a]![r]!, 0) / volume.spacing[a]!),
      );
      return stored[si! + 23 * (sj! + 17 * sk!)]!;
    };
    for (const code of codes) {
      const mapping = orientationMapping(volume.dimensions, volume.direction, code);
      const oriented = { dimensions: mapping.orientedDimensions, ...orientedGeometry(mapping, volume) };
      expect(orientationCode(oriented)).toBe(code);
      const data = toOriented(mapping, stored, new Float32Array(stored.length));
      const [ni, nj, nk] = mapping.orientedDimensions;
      let wrong = 0;
      for (let k = 0, n = 0; k < nk; k++)
        for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, n++) if (data[n] !== sourceAt(indexToWorld(oriented, [i, j, k]))) wrong++;
      expect(wrong, code).toBe(0);
      expect(Array.from(fromOriented(mapping, Int16Array.from(data), new Int16Array(data.length))), code).toEqual(Array.from(stored));
    }
  });
});

describe('Spacingd size rule', () => {
  it('is round((n-1)*spacing/pixdim + 1), not round(n*spacing/pixdim)', () => {
    expect(spacingGrid([100, 64, 33], [0.8, 1, 3], [1.5, 1.5, 2])).toEqual({ dimensions: [54, 43, 49], spacing: [1.5, 1.5, 2] });
    expect(Math.round((100 * 0.8) / 1.5)).toBe(53);
  });
});

/** The plain path (float32 sums, every class interpolated) and the many-class one (half-precision sums, only the classes that can win). */
const paths = [
  ['plain', { sums: 'float32', winners: 'all' }],
  ['winners-only', { sums: 'float32', winners: 'candidates' }],
  ['many-class', { sums: 'float16', winners: 'candidates' }],
] as const;

async function identitySegmentation(
  volume: Volume,
  steps: PreprocessingStep[],
  path: { readonly sums: 'float32' | 'float16'; readonly winners: 'all' | 'candidates' } = paths[0][1],
): Promise<LabelArray> {
  const { image, inverse } = preprocessVolume(volume, steps);
  const inverter = createInverter(inverse, { channels: 3, interpolation: 'linear', discrete: { kind: 'argmax' }, winners: path.winners });
  await slidingWindowInference({
    dimensions: image.dimensions,
    data: image.data,
    spec: { ...monaiSlidingWindowDefaults, roiSize: [8, 8, 8], overlap: 0.25, mode: 'gaussian', swBatchSize: 2 },
    channels: 3,
    sums: path.sums,
    shiftInvariant: true,
    activation: 'softmax',
    runBatch: async (patch, count) => {
      const size = patch.length / count;
      const out = new Float32Array(count * 3 * size);
      for (let b = 0; b < count; b++) {
        for (let v = 0; v < size; v++) out[(b * 3 + Math.round(patch[b * size + v]!)) * size + v] = 10;
      }
      return out;
    },
    onPlane: (k, plane) => inverter.onPlane(k, plane),
  });
  const oriented = inverter.finish();
  return inverse.orientation ? fromOriented(inverse.orientation, oriented, oriented.slice()) : oriented;
}

describe('Orientationd → Spacingd → Invertd round trip with an identity model', () => {
  describe.each(paths)('%s path', (_path, path) => {
    it.each([
      ['LPS', lps],
      ['permuted', permuted],
    ])('gives back the input labels exactly (%s storage, pixdim = spacing)', async (_name, direction) => {
      const volume = phantom(direction);
      const labels = await identitySegmentation(
        volume,
        [
          { kind: 'Orientationd', axcodes: 'RAS' },
          { kind: 'Spacingd', pixdim: [1.5, 1.5, 1.5], mode: 'bilinear' },
        ],
        path,
      );
      expect(Array.from(labels)).toEqual(Array.from(volume.voxels));
    });

    it('gives back the labels exactly through a centred crop and pad', async () => {
      const volume = phantom(permuted);
      const labels = await identitySegmentation(
        volume,
        [
          { kind: 'Orientationd', axcodes: 'LIA' },
          // LIA of this AIL volume is 13 × 17 × 23: pad L to 30, crop I to 15 and A to 20, cutting only empty margins
          { kind: 'ResizeWithPadOrCropd', spatialSize: [30, 15, 20], padValue: 0, padMode: 'constant' },
        ],
        path,
      );
      expect(Array.from(labels)).toEqual(Array.from(volume.voxels));
    });

    it('gives the plain path’s labels when resampling to another spacing (1.5 → 2.2 mm, probabilities interpolated back)', async () => {
      const volume = phantom(permuted);
      const steps: PreprocessingStep[] = [
        { kind: 'Orientationd', axcodes: 'RAS' },
        { kind: 'Spacingd', pixdim: [2.2, 1.9, 2.6], mode: 'bilinear' },
      ];
      const labels = Array.from(await identitySegmentation(volume, steps, path));
      const plain = Array.from(await identitySegmentation(volume, steps));
      const differing = labels.filter((l, n) => l !== plain[n]).length;
      // Interpolating only the winners is exact. Half-precision sums are not: this echo network's logits are exactly
      // 10 or 0, so voxels halfway between two labels tie exactly, and rounding to 11 bits decides 23 of those 5083 ties.
      if (path.sums === 'float32') expect(differing).toBe(0);
      else expect(differing / labels.length).toBeLessThan(0.01);
      // resampled twice, the ball and the box are still mostly where they were
      expect(labels.filter((l, n) => l === volume.voxels[n]).length / labels.length).toBeGreaterThan(0.9);
    });
  });
});

describe('preprocessVolume reads the current image at each step', () => {
  it('orients the scaled image, not the stored voxels, when Orientationd follows another step (a second Orientationd orients the first’s result)', () => {
    const volume = phantom(permuted);
    const scaled = preprocessVolume(volume, [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'ScaleIntensityd', minv: 0, maxv: 10, factor: null },
      { kind: 'Orientationd', axcodes: 'RAS' },
    ]).image;
    const once = preprocessVolume(volume, [{ kind: 'Orientationd', axcodes: 'RAS' }]).image;
    // labels 0..2 scaled to 0..10, in the oriented order
    expect(Array.from(scaled.data)).toEqual(Array.from(once.data, (v) => v * 5));
  });
});

describe('two Orientationds', () => {
  it('are undone together: the inverse maps the scan’s own grid to the second one’s, as one Orientationd would', () => {
    const volume = phantom(permuted);
    const { inverse, image } = preprocessVolume(volume, [
      { kind: 'Orientationd', axcodes: 'RAS' },
      { kind: 'Orientationd', axcodes: 'SPL' },
    ]);
    const once = orientationMapping(volume.dimensions, volume.direction, 'SPL');
    expect(inverse.orientation).toEqual(once);
    expect(Array.from(image.data)).toEqual(Array.from(toOriented(once, volume.voxels, new Float32Array(volume.voxels.length))));
    expect(Array.from(fromOriented(inverse.orientation!, image.data, new Float32Array(image.data.length)))).toEqual(Array.from(volume.voxels));
  });
});

describe('CropForegroundd with a margin', () => {
  it("lets the box overrun the image and pads the overrun with 0, as MONAI 1.5's allow_smaller=False does", () => {
    // Foreground (box and ball) spans i 3..18, j 4..11, k 2..9 of 23×17×13; a margin of 4 overruns i and k.
    const volume = phantom(lps);
    const steps: PreprocessingStep[] = [{ kind: 'CropForegroundd', threshold: 0, margin: [4, 4, 4], allowSmaller: false, padMode: 'constant' }];
    const { image, inverse } = preprocessVolume(volume, steps);
    expect(image.dimensions).toEqual([24, 16, 16]);
    expect(inverse.offset).toEqual([-1, 0, -2]);
    expect(image.origin).toEqual(indexToWorld(volume, [-1, 0, -2]));
    const at = (i: number, j: number, k: number): number => image.data[i + 24 * (j + 16 * k)]!;
    // Source voxel (15, 8, 6), the ball's centre, is at (16, 8, 8); the padded slab k = 0 and column i = 0 are 0.
    expect(at(16, 8, 8)).toBe(2);
    expect(at(4, 5, 4)).toBe(volume.voxels[3 + 23 * (5 + 17 * 2)]);
    let padded = 0;
    for (let j = 0; j < 16; j++) for (let i = 0; i < 24; i++) padded += Math.abs(at(i, j, 0)) + Math.abs(at(i, j, 1)) + Math.abs(at(0, j, 5));
    expect(padded).toBe(0);
    expect(image.data.reduce((s, v) => s + v, 0)).toBe(Float32Array.from(volume.voxels).reduce((s, v) => s + v, 0));
  });
});

describe('pad modes in the preprocessing', () => {
  it('CropForegroundd with allow_smaller true keeps the box inside the image (vista3d)', () => {
    const volume = phantom(lps);
    const { image, inverse } = preprocessVolume(volume, [
      { kind: 'CropForegroundd', threshold: 0, margin: [4, 4, 4], allowSmaller: true, padMode: 'constant' },
    ]);
    expect(image.dimensions).toEqual([23, 16, 13]);
    expect(inverse.offset).toEqual([0, 0, 0]);
  });

  it('ResizeWithPadOrCropd pads with its mode: edge repeats the border slice', () => {
    const volume = phantom(lps);
    // 23×17×13 → 23×17×17: 2 slices padded before k = 0 and 2 after k = 12, as copies of them.
    const { image, inverse } = preprocessVolume(volume, [{ kind: 'ResizeWithPadOrCropd', spatialSize: [23, 17, 17], padValue: 0, padMode: 'edge' }]);
    expect(image.dimensions).toEqual([23, 17, 17]);
    expect(inverse.offset).toEqual([0, 0, -2]);
    const slice = (data: ArrayLike<number>, k: number): number[] => Array.from({ length: 23 * 17 }, (_, n) => data[n + 23 * 17 * k]!);
    const source = Float32Array.from(volume.voxels);
    expect(slice(image.data, 0)).toEqual(slice(source, 0));
    expect(slice(image.data, 1)).toEqual(slice(source, 0));
    expect(slice(image.data, 7)).toEqual(slice(source, 5));
    expect(slice(image.data, 16)).toEqual(slice(source, 12));
  });
});
