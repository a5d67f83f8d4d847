import { describe, expect, it } from 'vitest';
import { createInverter, type InverterOptions } from '../../../../main/segmentation/inference/createInverter.js';
import { LeadersOverflow } from '../../../../main/segmentation/inference/LeadersOverflow.js';
import { slidingWindowInference, type RunBatch } from '../../../../main/segmentation/inference/slidingWindowInference.js';
import { monaiSlidingWindowDefaults, type SlidingWindowSpec } from '../../../../main/segmentation/ModelSpec.js';
import type { SpatialInverse } from '../../../../main/segmentation/pipeline/preprocessVolume.js';
import type { Vec3 } from '../../../../core/geometry/types.js';

/** The network grid blown up to an oriented grid `factor` times finer along each axis (bilinear Invertd), offset by a fraction. */
function inverseOf(network: Vec3, factor: number): SpatialInverse {
  const oriented = network.map((n) => Math.round(n * factor)) as unknown as Vec3;
  return {
    orientation: undefined,
    orientedDimensions: oriented,
    networkDimensions: network,
    spacedDimensions: network,
    scale: network.map((n, a) => (n - 1) / (oriented[a]! - 1)) as unknown as Vec3,
    offset: [0.3, -0.2, 0],
    mode: 'bilinear',
  };
}

/**
 * A many-class network like the whole-body bench's (class c's logit is the tangent at its centre of the parabola
 * S x², so the class whose centre is nearest the input wins, adjacent classes `step` apart at a centre), plus a
 * per-window, per-class offset of up to ±`disagree` logits, so the windows that overlap a voxel disagree.
 */
function bandNetwork(channels: number, step: number, disagree: number): RunBatch {
  const sharpness = (step * (channels - 1) ** 2) / 4;
  let window = 0;
  return async (patch, count) => {
    const size = patch.length / count;
    const out = new Float32Array(count * channels * size);
    for (let b = 0; b < count; b++, window++) {
      for (let c = 0; c < channels; c++) {
        const m = -1 + (2 * c) / (channels - 1);
        const offset = disagree * Math.sin(1.3 * window + 0.7 * c);
        for (let v = 0; v < size; v++) {
          const x = patch[b * size + v]!;
          out[(b * channels + c) * size + v] = sharpness * (2 * m * x - m * m) + offset;
        }
      }
    }
    return out;
  };
}

/** A smooth image in −1..1 (i fastest) that sweeps through every class's band. */
function sweepImage([ni, nj, nk]: Vec3): Float32Array {
  const data = new Float32Array(ni * nj * nk);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) data[i + ni * (j + nj * k)] = Math.sin(0.21 * i + 0.13 * j) * Math.cos(0.17 * k + 0.05 * i);
    }
  }
  return data;
}

interface Case {
  readonly dimensions: Vec3;
  readonly spec: SlidingWindowSpec;
  readonly channels: number;
  readonly step: number;
  readonly disagree: number;
  readonly interpolation: InverterOptions['interpolation'];
  /** Another network in place of bandNetwork. */
  readonly network?: () => RunBatch;
}

/** Labels through the dense float32 sums with every class interpolated (the plain computation), and through the leaders store. */
async function bothPaths(c: Case): Promise<{ plain: number[]; leaders: number[]; calls: { plain: number; leaders: number } }> {
  const inverse = inverseOf(c.dimensions, 1.7);
  const options: InverterOptions = { channels: c.channels, interpolation: c.interpolation, discrete: { kind: 'argmax' } };
  const run = async (store: 'float32' | 'leaders'): Promise<{ labels: number[]; calls: number }> => {
    const inverter = createInverter(inverse, { ...options, winners: store === 'float32' ? 'all' : 'candidates' });
    const network = c.network ? c.network() : bandNetwork(c.channels, c.step, c.disagree);
    let calls = 0;
    await slidingWindowInference({
      dimensions: c.dimensions,
      data: sweepImage(c.dimensions),
      spec: c.spec,
      channels: c.channels,
      activation: 'softmax',
      sums: store,
      shiftInvariant: true,
      runBatch: (input, count, roi) => {
        calls += count;
        return network(input, count, roi);
      },
      onPlane: (k, plane) => inverter.onPlane(k, plane),
      onLeaders: (k, plane) => inverter.onLeaders(k, plane),
    });
    return { labels: Array.from(inverter.finish()), calls };
  };
  const plain = await run('float32');
  const leaders = await run('leaders');
  return { plain: plain.labels, leaders: leaders.labels, calls: { plain: plain.calls, leaders: leaders.calls } };
}

describe('the leaders store (many classes: each voxel keeps only the classes near its best)', () => {
  const gaussian: SlidingWindowSpec = { ...monaiSlidingWindowDefaults, roiSize: [16, 12, 10], swBatchSize: 2, overlap: 0.5, mode: 'gaussian' };

  it.each([
    ['gaussian weights, windows that disagree by up to ±3 logits, linear interpolation', gaussian, 3, 'linear'],
    ['constant weights, windows that disagree, nearest', { ...gaussian, mode: 'constant' as const }, 3, 'nearest'],
    ['gaussian weights, windows that agree, linear', { ...gaussian, overlap: 0.25 }, 0, 'linear'],
  ] as const)('gives the plain labels with 40 classes: %s', async (_name, spec, disagree, interpolation) => {
    const { plain, leaders } = await bothPaths({ dimensions: [37, 29, 23], spec, channels: 40, step: 4, disagree, interpolation });
    expect(leaders).toEqual(plain);
    // not trivial: most classes win somewhere
    expect(new Set(plain).size).toBeGreaterThan(30);
  });

  it('gives the plain labels on an image smaller than the roi (padding cropped away), replicate and constant padding', async () => {
    for (const paddingMode of ['replicate', 'constant'] as const) {
      const spec = { ...gaussian, paddingMode, roiSize: [16, 16, 16] as [number, number, number] };
      const { plain, leaders } = await bothPaths({ dimensions: [11, 9, 7], spec, channels: 24, step: 4, disagree: 2, interpolation: 'linear' });
      expect(leaders).toEqual(plain);
      expect(new Set(plain).size).toBeGreaterThan(5);
    }
  });

  it('says when more classes than it holds come near a voxel’s best (logits 1 apart: 9 within reach)', async () => {
    await expect(bothPaths({ dimensions: [20, 20, 20], spec: gaussian, channels: 40, step: 0.5, disagree: 0, interpolation: 'linear' })).rejects.toThrow(
      LeadersOverflow,
    );
    await expect(bothPaths({ dimensions: [20, 20, 20], spec: gaussian, channels: 40, step: 0.5, disagree: 0, interpolation: 'linear' })).rejects.toMatchObject({
      reason: 'slots',
    });
  });

  it('says when windows disagree so much that no class is listed in every window over a voxel', async () => {
    // even windows: class 1 at 100, class 2 at 0; odd windows the other way round; the rest at -1000.
    // Where they overlap, each class was 100 below the best (out of reach) in one window: neither sum is known.
    const swapping = (): RunBatch => {
      let window = 0;
      return async (patch, count) => {
        const size = patch.length / count;
        const out = new Float32Array(count * 20 * size).fill(-1000);
        for (let b = 0; b < count; b++, window++) {
          out.fill(window % 2 === 0 ? 100 : 0, (b * 20 + 1) * size, (b * 20 + 2) * size);
          out.fill(window % 2 === 0 ? 0 : 100, (b * 20 + 2) * size, (b * 20 + 3) * size);
        }
        return out;
      };
    };
    const c = { dimensions: [30, 26, 22] as Vec3, spec: gaussian, channels: 20, step: 4, disagree: 0, interpolation: 'linear' as const };
    await expect(bothPaths({ ...c, network: swapping })).rejects.toMatchObject({ reason: 'undecided' });
    // the same with every window agreeing (class 1 at 100 throughout) is decided, and class 1 wins everywhere
    const agreeing = (): RunBatch => async (patch, count) => {
      const size = patch.length / count;
      const out = new Float32Array(count * 20 * size).fill(-1000);
      for (let b = 0; b < count; b++) out.fill(100, (b * 20 + 1) * size, (b * 20 + 2) * size);
      return out;
    };
    const { plain, leaders } = await bothPaths({ ...c, network: agreeing });
    expect(leaders).toEqual(plain);
    expect(new Set(leaders)).toEqual(new Set([1]));
  });
});
