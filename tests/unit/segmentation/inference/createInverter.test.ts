import { describe, expect, it } from 'vitest';
import { createInverter, type InverterOptions } from '../../../../main/segmentation/inference/createInverter.js';
import type { SpatialInverse } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import type { Vec3 } from '../../../../core/geometry/types.js';

/** Feeds network planes [k][channel][voxel] to an inverter and returns its labels. */
function invert(inverse: SpatialInverse, planes: Float32Array[], options: InverterOptions): number[] {
  const inverter = createInverter(inverse, options);
  planes.forEach((plane, k) => inverter.onPlane(k, plane));
  return Array.from(inverter.finish());
}

function inverseOf(network: Vec3, oriented: Vec3, offset: Vec3): SpatialInverse {
  return {
    orientation: undefined,
    orientedDimensions: oriented,
    networkDimensions: network,
    spacedDimensions: network,
    scale: network.map((n, a) => (oriented[a]! > 1 ? (n - 1) / (oriented[a]! - 1) : 1)) as unknown as Vec3,
    offset,
    mode: 'bilinear',
  };
}

/** Seeded probabilities over `channels` classes per network voxel; `levels` > 0 quantises them so ties and near-ties abound. */
function probabilityPlanes([di, dj, dk]: Vec3, channels: number, seed: number, levels: number): Float32Array[] {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: dk }, () => {
    const plane = new Float32Array(channels * di * dj);
    for (let v = 0; v < di * dj; v++) {
      // a few classes compete at each voxel, as at the borders of organs; the rest are near zero
      const strong = [0, 1, 2].map(() => Math.floor(random() * channels));
      let sum = 0;
      for (let c = 0; c < channels; c++) {
        const raw = strong.includes(c) ? random() : random() * 0.02;
        const value = levels > 0 ? Math.round(raw * levels) / levels : raw;
        plane[c * di * dj + v] = value;
        sum += value;
      }
      for (let c = 0; c < channels; c++) plane[c * di * dj + v] = plane[c * di * dj + v]! / (sum || 1);
    }
    return plane;
  });
}

describe('createInverter: interpolating only the classes that can win', () => {
  const network: Vec3 = [12, 10, 9];
  const inverse = inverseOf(network, [31, 26, 20], [-1.5, 0.25, 0]);

  it.each([
    ['smooth', 0],
    ['quantised (ties)', 4],
  ])('gives the plain labels at every voxel, 40 classes, %s probabilities', (_name, levels) => {
    const planes = probabilityPlanes(network, 40, 99 + levels, levels);
    for (const interpolation of ['linear', 'nearest'] as const) {
      const options: InverterOptions = { channels: 40, interpolation, discrete: { kind: 'argmax' } };
      const plain = invert(inverse, planes, { ...options, winners: 'all' });
      const fast = invert(inverse, planes, { ...options, winners: 'candidates' });
      expect(fast).toEqual(plain);
      // the labels are not trivial: many classes win somewhere, and the voxels mapped past the network grid stay 0
      expect(new Set(plain).size).toBeGreaterThan(20);
      expect(plain[30]).toBe(0);
    }
  });

  it('finds a winner that leads at no source voxel (its value is third at both)', () => {
    // between two network voxels: A .40 B .35 C .25 and D .40 E .35 C .25; halfway C has .25, A and D .20
    const plane = new Float32Array(5 * 2);
    [0.4, 0.35, 0.25, 0, 0].forEach((p, c) => (plane[c * 2] = p));
    [0, 0, 0.25, 0.4, 0.35].forEach((p, c) => (plane[c * 2 + 1] = p));
    const halfway = inverseOf([2, 1, 1], [3, 1, 1], [0, 0, 0]);
    const options: InverterOptions = { channels: 5, interpolation: 'linear', discrete: { kind: 'argmax' }, winners: 'candidates' };
    expect(invert(halfway, [plane], options)).toEqual([0, 2, 3]);
    expect(invert(halfway, [plane], { ...options, winners: 'all' })).toEqual([0, 2, 3]);
  });
});

describe('createInverter: source voxels that each take one network voxel whole', () => {
  const channels = 16;
  /** The winner at network voxel (x, y, z), coded from its place; at every fifth voxel a second class ties with it. */
  const winner = (x: number, y: number, z: number, di: number): number => {
    const w = (x + 3 * y + 7 * z) % channels;
    return (x + di * y) % 5 === 0 ? Math.min(w, (w + 5) % channels) : w;
  };
  function codedPlanes([di, dj, dk]: Vec3): Float32Array[] {
    return Array.from({ length: dk }, (_, z) => {
      const plane = new Float32Array(channels * di * dj);
      for (let v = 0; v < di * dj; v++) {
        const [x, y] = [v % di, Math.floor(v / di)];
        for (let c = 0; c < channels; c++) plane[c * di * dj + v] = ((c * 7 + v * 13 + z) % 11) / 25;
        const w = (x + 3 * y + 7 * z) % channels;
        plane[w * di * dj + v] = 0.9;
        if (v % 5 === 0) plane[((w + 5) % channels) * di * dj + v] = 0.9;
      }
      return plane;
    });
  }
  const network: Vec3 = [12, 10, 9];

  it('on the network grid itself (Spacingd kept it, linear): every label is its network voxel’s argmax, the lower of tied classes', () => {
    const planes = codedPlanes(network);
    const expected: number[] = [];
    for (let z = 0; z < 9; z++) for (let y = 0; y < 10; y++) for (let x = 0; x < 12; x++) expected.push(winner(x, y, z, 12));
    for (const winners of ['all', 'candidates'] as const) {
      const labels = invert(inverseOf(network, network, [0, 0, 0]), planes, { channels, interpolation: 'linear', discrete: { kind: 'argmax' }, winners });
      expect(labels).toEqual(expected);
    }
  });

  it('nearest, resampled and cropped: the nearest network voxel’s argmax, and 0 past the network grid', () => {
    const oriented: Vec3 = [31, 26, 20];
    const offset: Vec3 = [-1.5, 0.25, 0];
    const inverse = inverseOf(network, oriented, offset);
    const nearest = (s: number, a: number): number => Math.round(Math.min(Math.max(s * inverse.scale[a]!, 0), network[a]! - 1) - offset[a]!);
    const expected: number[] = [];
    for (let k = 0; k < 20; k++) {
      for (let j = 0; j < 26; j++) {
        for (let i = 0; i < 31; i++) {
          const [x, y, z] = [nearest(i, 0), nearest(j, 1), nearest(k, 2)];
          const inside = x >= 0 && x < 12 && y >= 0 && y < 10 && z >= 0 && z < 9;
          expected.push(inside ? winner(x, y, z, 12) : 0);
        }
      }
    }
    const labels = invert(inverse, codedPlanes(network), { channels, interpolation: 'nearest', discrete: { kind: 'argmax' }, winners: 'candidates' });
    expect(labels).toEqual(expected);
    // some voxels lie past the grid along i (offset −1.5), and most classes win somewhere
    expect(labels[30]).toBe(0);
    expect(new Set(labels).size).toBe(channels);
  });
});
