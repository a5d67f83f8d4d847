import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { importanceMap } from '../../../../main/segmentation/inference/importanceMap.js';
import { HalfSumsOverflow } from '../../../../main/segmentation/inference/HalfSumsOverflow.js';
import { LeadersOverflow } from '../../../../main/segmentation/inference/LeadersOverflow.js';
import { transposeToKFastest } from '../../../../main/segmentation/inference/transposeToKFastest.js';
import { slidingWindowInference, type RunBatch, type RunLeaders } from '../../../../main/segmentation/inference/slidingWindowInference.js';
import { sweepLeaders } from '../../../../main/segmentation/inference/sweepLeaders.js';
import { leaderSlots } from '../../../../main/segmentation/inference/leaderStore.js';
import { createWindowLeaders, type WindowLeaders } from '../../../../main/segmentation/inference/windowLeaders.js';
import { windowStarts } from '../../../../main/segmentation/inference/windowStarts.js';
import { monaiSlidingWindowDefaults, type SlidingWindowSpec } from '../../../../main/segmentation/ModelSpec.js';
import type { Vec3 } from '../../../../core/geometry/types.js';

/**
 * An overlapping runner's leaders sweep, as createOnnxRunnerInWorker's threads make it: `runBatch`'s output swept on a
 * later turn (sweepLeaders); `swept` counts the batches that came as lists, `refused` those that could not be listed.
 */
function sweepingRunner(runBatch: RunBatch, ahead: number, counts: { swept: number; refused: number }): { run: RunLeaders; ahead: number } {
  let room: WindowLeaders | undefined;
  return {
    ahead,
    run: async (patch, count, roi, channels) => {
      const output = await runBatch(patch.slice(), count, roi);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const size = roi[0] * roi[1] * roi[2];
      if (room?.count.length !== size) room = createWindowLeaders(size, leaderSlots);
      const batch = sweepLeaders(output, count, channels, size, room);
      counts['lists' in batch ? 'swept' : 'refused']++;
      return batch;
    },
  };
}

describe('windowStarts (MONAI dense_patch_slices)', () => {
  it('follows interval = int(roi*(1-overlap)), count = ceil((size-roi)/interval)+1, last aligned to the end', () => {
    expect(windowStarts(96, 96, 0.25)).toEqual([0]);
    expect(windowStarts(50, 96, 0.25)).toEqual([0]);
    // interval int(96*0.75)=72; count ceil((200-96)/72)+1 = 3; last start 200-96 = 104
    expect(windowStarts(200, 96, 0.25)).toEqual([0, 72, 104]);
    // interval int(64*0.5)=32; count ceil((130-64)/32)+1 = 4
    expect(windowStarts(130, 64, 0.5)).toEqual([0, 32, 64, 66]);
    // overlap close to 1: interval int(10*0.05)=0 -> 1
    expect(windowStarts(13, 10, 0.95)).toEqual([0, 1, 2, 3]);
  });
});

describe('importanceMap', () => {
  it('is MONAI’s unscaled gaussian product with sigma = 0.125 * roi, clamped at the corners', () => {
    const roi: [number, number, number] = [8, 6, 5];
    const map = importanceMap(roi, 'gaussian', 0.125);
    const g = (x: number, n: number): number => Math.exp(-((x - (n - 1) / 2) ** 2) / (2 * (0.125 * n) ** 2));
    const at = (x: number, y: number, z: number): number => map[(x * roi[1] + y) * roi[2] + z]!;
    expect(at(3, 2, 2)).toBeCloseTo(g(3, 8) * g(2, 6) * g(2, 5), 6);
    expect(at(4, 3, 2)).toBeCloseTo(g(4, 8) * g(3, 6) * g(2, 5), 6);
    expect(Math.max(...map)).toBeLessThan(1);
    // corner product is ~1e-11, below 1e-3, so it is clamped up to 1e-3
    expect(at(0, 0, 0)).toBeCloseTo(1e-3, 9);
  });

  it('is all ones in constant mode', () => {
    expect(new Set(importanceMap([3, 3, 3], 'constant', 0.125))).toEqual(new Set([1]));
  });
});

async function echo(
  dimensions: Vec3,
  spec: SlidingWindowSpec,
  options: { sums?: 'float32' | 'float16'; layout?: 'i-fastest' | 'k-fastest'; scale?: number } = {},
): Promise<{ out: Float32Array; input: Float32Array; batches: number[]; changed: number; buffers: number }> {
  const [ni, nj, nk] = dimensions;
  // Every plane as it came, to check that the two before each new one are still as they came (onPlane's contract).
  const kept: { plane: Float32Array; copy: Float32Array }[] = [];
  let changed = 0;
  const input = Float32Array.from({ length: ni * nj * nk }, (_, n) => (Math.sin(n * 0.37) * 100 + n * 0.01) * (options.scale ?? 1));
  const out = new Float32Array(input.length);
  const batches: number[] = [];
  let lastK = -1;
  await slidingWindowInference({
    dimensions,
    data: options.layout === 'k-fastest' ? transposeToKFastest(input, dimensions) : input,
    ...(options.layout ? { layout: options.layout } : {}),
    ...(options.sums ? { sums: options.sums } : {}),
    spec,
    channels: 1,
    activation: 'none',
    runBatch: async (patch, count) => {
      batches.push(count);
      return Float32Array.from(patch);
    },
    onPlane: (k, plane) => {
      expect(k).toBe(lastK + 1);
      lastK = k;
      out.set(plane, k * ni * nj);
      for (const held of kept.slice(-2)) if (held.plane.some((v, n) => !Object.is(v, held.copy[n]))) changed++;
      kept.push({ plane, copy: plane.slice() });
    },
  });
  expect(lastK).toBe(nk - 1);
  // The last two stay as they came once the call is over: nothing comes after them.
  for (const held of kept.slice(-2)) if (held.plane.some((v, n) => !Object.is(v, held.copy[n]))) changed++;
  return { out, input, batches, changed, buffers: new Set(kept.map((k) => k.plane.buffer)).size };
}

describe('slidingWindowInference', () => {
  const base: SlidingWindowSpec = { ...monaiSlidingWindowDefaults, roiSize: [16, 12, 10], swBatchSize: 3, overlap: 0.5, mode: 'gaussian' };

  it('gives back the input through an echo network, over a grid of overlapping windows (sizes not multiples of the roi)', async () => {
    const { out, input, batches } = await echo([37, 29, 23], base);
    for (let n = 0; n < input.length; n++) expect(out[n]).toBeCloseTo(input[n]!, 3);
    // windows: i 4 (starts 0,8,16,21), j 4 (0,6,12,17), k 4 (0,5,10,13) = 64, batched by 3 within each k group of 16
    expect(batches.reduce((a, b) => a + b, 0)).toBe(64);
    expect(Math.max(...batches)).toBe(3);
  });

  it.each([
    ['one plane a block', [8, 8, 2], 0.5],
    ['blocks of several planes', [8, 8, 12], 0.25],
  ] as const)('hands each plane on intact until two more have followed, though its memory is used again (%s)', async (_name, roiSize, overlap) => {
    const { out, input, changed, buffers } = await echo([9, 10, 61], { ...base, roiSize: [...roiSize], overlap });
    expect(changed).toBe(0);
    // 61 planes in three blocks of memory, used in turn
    expect(buffers).toBe(3);
    for (let n = 0; n < input.length; n++) expect(out[n]).toBeCloseTo(input[n]!, 3);
  });

  it('leaves the last planes handed on as they are when padding planes follow them (5 planes in a window 100 deep)', async () => {
    // Padded to 100 planes, 47 before and 48 after: the blocks after the last plane hold only padding.
    const { out, input, changed } = await echo([9, 10, 5], { ...base, roiSize: [8, 8, 100], overlap: 0.25 });
    expect(changed).toBe(0);
    for (let n = 0; n < input.length; n++) expect(out[n]).toBeCloseTo(input[n]!, 3);
  });

  it('gives back the input in constant mode too, where weights are window counts', async () => {
    const { out, input } = await echo([37, 29, 23], { ...base, mode: 'constant' });
    for (let n = 0; n < input.length; n++) expect(out[n]).toBeCloseTo(input[n]!, 3);
  });

  it('pads an image smaller than the roi and crops the pad away', async () => {
    const { out, input } = await echo([7, 5, 3], { ...base, paddingMode: 'replicate' });
    for (let n = 0; n < input.length; n++) expect(out[n]).toBeCloseTo(input[n]!, 3);
  });

  it('pads an image to a roi a million voxels long (its window coverage, spread as arguments, overflowed the stack)', async () => {
    const { out, input } = await echo([3, 2, 2], { ...base, roiSize: [1_000_000, 1, 1] });
    for (let n = 0; n < input.length; n++) expect(out[n]).toBeCloseTo(input[n]!, 3);
  });

  it('takes the image in the network’s order (k fastest) as well, padded borders included', async () => {
    for (const dimensions of [[37, 29, 23] as Vec3, [7, 5, 3] as Vec3]) {
      const spec = { ...base, paddingMode: 'reflect' as const };
      const { out } = await echo(dimensions, spec, { layout: 'k-fastest' });
      expect(Array.from(out)).toEqual(Array.from((await echo(dimensions, spec)).out));
    }
  });

  it('rounds half-precision sums once per window, and says when they overflow', async () => {
    const { out, input } = await echo([37, 29, 23], base, { sums: 'float16' });
    let worst = 0;
    for (let n = 0; n < input.length; n++) worst = Math.max(worst, Math.abs(out[n]! - input[n]!) / Math.max(1, Math.abs(input[n]!)));
    // up to 3 windows per axis cover a voxel here (27 in all), each add rounding by at most 2^-11 of the sum
    expect(worst).toBeLessThan(27 * 2 ** -11);
    expect(worst).toBeGreaterThan(0);
    // values up to 100 000: past half precision's 65504
    await expect(echo([37, 29, 23], base, { sums: 'float16', scale: 1000 })).rejects.toBeInstanceOf(HalfSumsOverflow);
  });

  it('keeps the ranking of logits in the hundreds that differ by tenths, in half-precision sums, by summing gaps below each voxel’s best', async () => {
    const dimensions: Vec3 = [30, 26, 22];
    const size = 30 * 26 * 22;
    // the winner alternates voxel by voxel; each window sees logits 400 ± 0.1 (a common part 4000 times the gap)
    const wins = Uint8Array.from({ length: size }, (_, n) => (Math.sin(n * 1.7) > 0 ? 1 : 0));
    const run = async (shiftInvariant: boolean): Promise<number> => {
      let wrong = 0;
      await slidingWindowInference({
        dimensions,
        data: Float32Array.from(wins),
        spec: base,
        channels: 2,
        activation: 'softmax',
        sums: 'float16',
        shiftInvariant,
        runBatch: async (patch, count) => {
          const n = patch.length / count;
          const out = new Float32Array(count * 2 * n);
          for (let b = 0; b < count; b++) {
            for (let v = 0; v < n; v++) {
              const up = patch[b * n + v] === 1 ? 0.1 : -0.1;
              out[2 * b * n + v] = 400 - up;
              out[(2 * b + 1) * n + v] = 400 + up;
            }
          }
          return out;
        },
        onPlane: (k, plane) => {
          const area = 30 * 26;
          for (let v = 0; v < area; v++) if ((plane[area + v]! > plane[v]! ? 1 : 0) !== wins[k * area + v]) wrong++;
        },
      });
      return wrong;
    };
    expect(await run(true)).toBe(0);
    // summing the logits themselves, 11 bits cannot hold 400.1 apart from 399.9 once a few windows are added
    expect(await run(false)).toBeGreaterThan(100);
  });

  it('applies softmax over the channels of the weighted average', async () => {
    const planes: Float32Array[] = [];
    await slidingWindowInference({
      dimensions: [20, 20, 20],
      data: new Float32Array(8000),
      spec: base,
      channels: 2,
      activation: 'softmax',
      runBatch: async (patch, count) => {
        const size = patch.length / count;
        const out = new Float32Array(count * 2 * size);
        for (let b = 0; b < count; b++) out.fill(Math.log(3), (2 * b + 1) * size, (2 * b + 2) * size);
        return out;
      },
      onPlane: (_k, plane) => planes.push(plane.slice()),
    });
    expect(planes).toHaveLength(20);
    expect(planes[7]![0]).toBeCloseTo(0.25, 6);
    expect(planes[7]![400]).toBeCloseTo(0.75, 6);
  });

  /**
   * The first two channels of every plane handed on, for a network whose value at channel c of a patch's voxel v is
   * value(c, v, the patch's own input there, the batch's number). `overlapping`: the runner answers on a later turn and
   * keeps each output only until `depth` calls after it, after which it spoils it with NaN (as a runner on another thread
   * would let it go); `unread` then holds how many calls were made past the batches blended, at each blend.
   */
  async function firstTwoChannels(
    dimensions: Vec3,
    channels: number,
    activation: 'none' | 'softmax',
    value: (c: number, v: number, input: number, batch: number) => number,
    overlapping?: { depth: number; unread: number[]; trims: number },
  ): Promise<Float32Array[]> {
    const [ni, nj, nk] = dimensions;
    const planes: Float32Array[] = [];
    const outputs: Float32Array[] = [];
    let batch = 0;
    await slidingWindowInference({
      dimensions,
      data: Float32Array.from({ length: ni * nj * nk }, (_, n) => Math.sin(n * 0.013) * 40),
      spec: base,
      channels,
      activation,
      runBatch: async (patch, count) => {
        const size = patch.length / count;
        const out = new Float32Array(count * channels * size);
        batch++;
        for (let b = 0; b < count; b++) {
          for (let c = 0; c < channels; c++) for (let v = 0; v < size; v++) out[(b * channels + c) * size + v] = value(c, v, patch[b * size + v]!, batch);
        }
        if (!overlapping) return out;
        outputs.push(out);
        outputs[outputs.length - 1 - overlapping.depth]?.fill(NaN);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return out;
      },
      ...(overlapping ? { overlapping: { trim: () => overlapping.trims++, ahead: overlapping.depth } } : {}),
      onProgress: () => overlapping?.unread.push(batch - overlapping.unread.length - 1),
      onPlane: (_k, plane) => planes.push(plane.slice(0, 2 * ni * nj)),
    });
    return planes;
  }
  /** Values of `a`'s planes that are not the very same as `b`'s. */
  const differing = (a: Float32Array[], b: Float32Array[]): number => a.reduce((n, plane, k) => n + plane.filter((p, i) => !Object.is(p, b[k]![i])).length, 0);

  it('sums two classes exactly as it sums them beside a third', async () => {
    // Each batch adds its own offset, so the windows disagree and their weights matter.
    const value = (c: number, _v: number, input: number, batch: number): number => input * (c + 1) + batch * 0.37;
    const two = await firstTwoChannels([37, 29, 23], 2, 'none', value);
    const three = await firstTwoChannels([37, 29, 23], 3, 'none', value);
    expect(two).toHaveLength(23);
    expect(differing(two, three)).toBe(0);
    expect(new Set(two[11]).size).toBeGreaterThan(1000);
  });

  it.each([2, 3])(
    'with an overlapping runner %i calls deep, keeps the batches after each queued and gives the plain run’s very planes, reading no output it let go of',
    async (depth) => {
      const value = (c: number, _v: number, input: number, batch: number): number => input * (c + 1) + batch * 0.37;
      const overlapping = { depth, unread: [] as number[], trims: 0 };
      const queued = await firstTwoChannels([37, 29, 23], 3, 'none', value, overlapping);
      const plain = await firstTwoChannels([37, 29, 23], 3, 'none', value);
      expect(queued).toHaveLength(23);
      expect(differing(queued, plain)).toBe(0);
      // 64 windows in batches of 3 within each of 4 k groups (6 batches of 16 windows): 24 blends, depth − 1 calls ahead
      // of each while there are batches left, never more
      expect(overlapping.unread).toEqual(Array.from({ length: 24 }, (_, blend) => Math.min(depth - 1, 23 - blend)));
      expect(overlapping.trims).toBe(1);
    },
  );

  it('with an overlapping runner, gives the leaders store’s very planes, one window a batch (as at 105 classes)', async () => {
    /** Every finished plane's leaders, for a 20-class network of logits in bands (a few classes near each voxel's best); `depth` as in firstTwoChannels. */
    const leaderPlanes = async (depth?: number, dimensions: Vec3 = [37, 29, 23], counts?: { swept: number; refused: number }): Promise<string[]> => {
      const planes: string[] = [];
      const outputs: Float32Array[] = [];
      let batch = 0;
      const runBatch: RunBatch = async (patch) => {
        batch++;
        const out = new Float32Array(20 * patch.length);
        for (let c = 0; c < 20; c++) for (let v = 0; v < patch.length; v++) out[c * patch.length + v] = -Math.abs(patch[v]! / 4 + 5 - c) * 30 + batch * 0.01;
        if (!depth || counts) return out;
        outputs.push(out);
        outputs[outputs.length - 1 - depth]?.fill(NaN);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return out;
      };
      await slidingWindowInference({
        dimensions,
        data: Float32Array.from({ length: dimensions[0] * dimensions[1] * dimensions[2] }, (_, n) => Math.sin(n * 0.013) * 40),
        spec: { ...base, swBatchSize: 1 },
        channels: 20,
        activation: 'softmax',
        sums: 'leaders',
        runBatch,
        ...(depth ? { overlapping: { trim: () => {}, ahead: depth, ...(counts ? { leaders: sweepingRunner(runBatch, depth, counts) } : {}) } } : {}),
        onPlane: () => {},
        onLeaders: (_k, plane) => planes.push(JSON.stringify([Array.from(plane.count), Array.from(plane.ids), Array.from(plane.probabilities)])),
      });
      return planes;
    };
    const plain = await leaderPlanes();
    expect(plain).toHaveLength(23);
    expect(await leaderPlanes(2)).toEqual(plain);
    expect(await leaderPlanes(3)).toEqual(plain);
    // One window a k start (the roi spans i and j), so every batch starts a block of planes.
    const narrow: Vec3 = [16, 12, 40];
    const alone = await leaderPlanes(undefined, narrow);
    expect(alone).toHaveLength(40);
    expect(await leaderPlanes(3, narrow)).toEqual(alone);
    // Swept into lists elsewhere, 8 calls deep (more than the windows of a k start): the same planes, every batch as lists.
    for (const [dimensions, expected, windows] of [
      [undefined, plain, 64],
      [narrow, alone, 7],
    ] as const) {
      const counts = { swept: 0, refused: 0 };
      expect(await leaderPlanes(8, dimensions, counts)).toEqual(expected);
      expect(counts).toEqual({ swept: windows, refused: 0 });
    }
  });

  it('gives two classes the very probabilities the general softmax gives them (a third class far below adds nothing)', async () => {
    // Logits that vary voxel by voxel: equal pairs, gaps past 30 either way, and ordinary ones.
    const first = (v: number): number => Math.fround(Math.sin(v * 0.37) * 25);
    const logit = (c: number, v: number): number => (c === 2 ? -1000 : c === 0 || v % 9 === 0 ? first(v) : Math.cos(v * 0.11) * 25);
    const two = await firstTwoChannels([20, 20, 20], 2, 'softmax', logit);
    const three = await firstTwoChannels([20, 20, 20], 3, 'softmax', logit);
    expect(two).toHaveLength(20);
    expect(differing(two, three)).toBe(0);
    // not a trivial plane: probabilities of 0, 1/2 and 1 all occur, and thousands of values between
    const values = new Set(two.flatMap((plane) => Array.from(plane)));
    for (const p of [0, 0.5, 1]) expect(values.has(p)).toBe(true);
    expect(values.size).toBeGreaterThan(2000);
  });

  it('stops at the next batch when cancelled', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = slidingWindowInference({
      dimensions: [64, 64, 64],
      data: new Float32Array(64 ** 3),
      spec: { ...base, swBatchSize: 1 },
      channels: 1,
      activation: 'none',
      signal: controller.signal,
      runBatch: async (patch) => {
        if (++calls === 2) controller.abort();
        return Float32Array.from(patch);
      },
      onPlane: () => {},
    });
    await expect(run).rejects.toMatchObject({ code: 'INFERENCE_CANCELLED' });
    expect(calls).toBe(2);
  });

  describe('refuses output that is not finite', () => {
    /** Runs a 2-channel network that copies each patch into both channels, then lets `spoil` change the output. */
    async function runSpoiled(
      spec: SlidingWindowSpec,
      dimensions: Vec3,
      spoil: (output: Float32Array, patchSize: number, count: number) => void,
      data = new Float32Array(dimensions[0] * dimensions[1] * dimensions[2]),
      leaders = false,
      overlapping?: { trims: number; depth: number; counts?: { swept: number; refused: number } },
    ): Promise<unknown> {
      const runBatch: RunBatch = async (patch, count) => {
        const size = patch.length / count;
        const out = new Float32Array(count * 2 * size);
        for (let b = 0; b < count; b++) out.set(patch.subarray(b * size, (b + 1) * size), 2 * b * size);
        spoil(out, size, count);
        // An overlapping runner answers on a later turn, as one on another thread does.
        if (overlapping) await new Promise((resolve) => setTimeout(resolve, 1));
        return out;
      };
      return slidingWindowInference({
        dimensions,
        data,
        spec,
        channels: 2,
        activation: 'softmax',
        // The leaders store (each window's classes near its best) instead of dense sums.
        ...(leaders ? { sums: 'leaders' as const, onLeaders: () => {} } : {}),
        modelPath: '/models/broken.onnx',
        runBatch,
        ...(overlapping
          ? {
              overlapping: {
                trim: () => overlapping.trims++,
                ahead: overlapping.depth,
                ...(overlapping.counts ? { leaders: sweepingRunner(runBatch, overlapping.depth, overlapping.counts) } : {}),
              },
            }
          : {}),
        onPlane: () => {},
      }).then(
        () => null,
        (e: unknown) => e,
      );
    }

    it('names the patch, its start in the network grid, the channel and the first bad voxel', async () => {
      // [37, 29, 23] at roi [16, 12, 10], overlap 0.5: k starts 0, 5, 10, 13; 16 windows per k in batches of 3, 3, 3, 3, 3, 1.
      let batch = 0;
      const error = await runSpoiled(base, [37, 29, 23], (out, size) => {
        // The 7th batch is k start 5's first: patches 17-19; spoil the 2nd one's (patch 18) channel 1 at offset (x 2, y 3, z 4).
        if (++batch !== 7) return;
        const at = (1 * 2 + 1) * size + (2 * 12 + 3) * 10 + 4;
        out[at] = Number.NaN;
        out[at + 1] = Infinity;
        out[at + 2] = -Infinity;
      });
      expect(error).toBeInstanceOf(AxialError);
      const { code, message } = error as AxialError;
      expect(code).toBe('INFERENCE_NOT_FINITE');
      // Patch 18 is the 2nd of k start 5 (i starts 0, 8, 16, 21, each with j 0, 6, 12, 17): i 0, j 6.
      expect(message).toMatch(/^\/models\/broken\.onnx: /);
      expect(message).toMatch(/patch 18 of 64, starting at voxel \(0, 6, 5\) of its 37×29×23 input grid/);
      expect(message).toMatch(/output channel 1: 1 NaN, 1 Infinity, 1 -Infinity of 1920 values, the first at voxel \(2, 9, 9\)/);
      expect(message).toMatch(/its input is finite, so the model produced them/);
    });

    it.each([2, 3])(
      'with an overlapping runner %i calls deep, names its own batch’s patch and input though the next are cut, and lets go of the outputs',
      async (depth) => {
        // (20, 2, 12) is first in batch 8's second patch, window (8, 0, 5), while batch 7 is blended: the next batch's input holds a NaN.
        const data = new Float32Array(37 * 29 * 23);
        data[20 + 37 * (2 + 29 * 12)] = Number.NaN;
        const overlapping = { trims: 0, depth };
        let batch = 0;
        const error = await runSpoiled(
          base,
          [37, 29, 23],
          (out, size) => {
            if (++batch === 7) out[(1 * 2 + 1) * size + (2 * 12 + 3) * 10 + 4] = Number.NaN;
          },
          data,
          false,
          overlapping,
        );
        expect(error).toMatchObject({ code: 'INFERENCE_NOT_FINITE' });
        expect((error as AxialError).message).toMatch(/patch 18 of 64, starting at voxel \(0, 6, 5\).*its input is finite, so the model produced them/);
        // the batches after 7 had been started (8, and 9 at depth 3), and ended before the outputs were let go of
        expect(batch).toBe(6 + depth);
        expect(overlapping.trims).toBe(1);
      },
    );

    it('says the same through the leaders store', async () => {
      let batch = 0;
      const error = await runSpoiled(
        base,
        [37, 29, 23],
        (out, size) => {
          if (++batch !== 7) return;
          const at = (1 * 2 + 1) * size + (2 * 12 + 3) * 10 + 4;
          out[at] = Number.NaN;
          out[at + 1] = Infinity;
          out[at + 2] = -Infinity;
        },
        undefined,
        true,
      );
      expect(error).toMatchObject({ code: 'INFERENCE_NOT_FINITE' });
      expect((error as AxialError).message).toMatch(
        /patch 18 of 64, starting at voxel \(0, 6, 5\).*output channel 1: 1 NaN, 1 Infinity, 1 -Infinity of 1920 values, the first at voxel \(2, 9, 9\)/,
      );
      // a lone -Infinity, which no list would hold; finite extremes are let through
      batch = 0;
      const minus = await runSpoiled(base, [20, 20, 20], (out) => void (out[5] = -Infinity), undefined, true);
      expect(minus).toMatchObject({ code: 'INFERENCE_NOT_FINITE' });
      const extreme = await runSpoiled(base, [20, 20, 20], (out) => void ((out[5] = 3.4e38), (out[6] = -3.4e38)), undefined, true);
      // (the store cannot decide between 3.4e38 and its neighbours and asks for dense sums: not a NaN)
      expect(extreme === null || extreme instanceof LeadersOverflow).toBe(true);
    });

    it.each([
      [3, false],
      [8, true],
    ])(
      'through the leaders store with a runner %i calls deep (lists swept elsewhere: %s), names its own window’s patch and input though the next are cut',
      async (depth, swept) => {
        // One window a batch: patch 18 is the 2nd of k start 5. Patches 21 and 25 (windows (8, 0, 5) and (16, 0, 5)) hold a
        // NaN in their input; three deep, 21 takes 18's input array once 18 is blended: the message must read 18's own.
        const data = new Float32Array(37 * 29 * 23);
        data[20 + 37 * (2 + 29 * 12)] = Number.NaN;
        let batch = 0;
        const overlapping = { trims: 0, depth, ...(swept ? { counts: { swept: 0, refused: 0 } } : {}) };
        const error = await runSpoiled(
          { ...base, swBatchSize: 1 },
          [37, 29, 23],
          (out, size) => {
            if (++batch === 18) out[1 * size + (2 * 12 + 3) * 10 + 4] = Number.NaN;
          },
          data,
          true,
          overlapping,
        );
        expect(error).toMatchObject({ code: 'INFERENCE_NOT_FINITE' });
        expect((error as AxialError).message).toMatch(
          /patch 18 of 64, starting at voxel \(0, 6, 5\).*output channel 1: 1 NaN of 1920 values, the first at voxel \(2, 9, 9\); its input is finite/,
        );
        expect(overlapping.trims).toBe(1);
        // swept: patches 1 to 25 were started (18 and the 7 after it in the runner), and all but 18, 21 and 25 came as lists
        if (swept) expect(overlapping.counts).toEqual({ swept: 22, refused: 3 });
      },
    );

    it.each(['slots', 'size'] as const)(
      'with the lists swept elsewhere, gives up at a batch refused for %s: skips the queued runs, then lets go of every list, and raises its own error',
      async (refusal) => {
        const events: string[] = [];
        const answered: WindowLeaders[] = [];
        let batch = 0;
        let room: WindowLeaders | undefined;
        const run: RunLeaders = async (patch, count, roi, channels) => {
          const b = batch++;
          // Batch 7 fails at once, before batch 6 (refused) is read: its error must wait its turn, unhandled meanwhile.
          if (b === 7) throw new AxialError('INFERENCE_FAILED', 'a later batch failed');
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (b === 6) return { refused: refusal === 'slots' ? { kind: 'slots' } : { kind: 'size', values: 7 } };
          const size = patch.length / count;
          const out = new Float32Array(channels * patch.length);
          for (let c = 0; c < channels; c++) for (let v = 0; v < patch.length; v++) out[c * patch.length + v] = -Math.abs(patch[v]! / 4 + 5 - c) * 30;
          room ??= createWindowLeaders(size, leaderSlots);
          const swept = sweepLeaders(out, count, channels, size, room);
          if ('lists' in swept) answered.push(...swept.lists);
          return swept;
        };
        const error = await slidingWindowInference({
          dimensions: [37, 29, 23],
          data: Float32Array.from({ length: 37 * 29 * 23 }, (_, n) => Math.sin(n * 0.013) * 40),
          spec: { ...base, swBatchSize: 1 },
          channels: 20,
          activation: 'softmax',
          sums: 'leaders',
          modelPath: '/models/broken.onnx',
          runBatch: () => Promise.reject(new Error('the sweep runs every batch')),
          overlapping: {
            trim: () => events.push('trim'),
            ahead: 3,
            skipQueued: () => events.push('skip'),
            leaders: { ahead: 8, run },
          },
          onLeaders: () => {},
          onPlane: () => {},
        }).then(
          () => null,
          (e: unknown) => e,
        );
        if (refusal === 'slots') expect(error).toBeInstanceOf(LeadersOverflow);
        else expect(error).toMatchObject({ code: 'INFERENCE_FAILED', message: 'the network returned 7 values for 1 patches of 16×12×10 with 20 channels' });
        // batches 1 to 14 were asked for (7 then 8 deep); the queued ones skipped before the outputs were let go of
        expect(batch).toBe(6 + 8);
        expect(events).toEqual(['skip', 'trim']);
        // the six blended and the ones answered after the refusal: every list let go of (its buffer detached)
        expect(answered.length).toBe(6 + 6);
        expect(answered.every((lists) => lists.count.buffer.byteLength === 0)).toBe(true);
      },
    );

    it('says when the image itself held the NaN', async () => {
      const dimensions: Vec3 = [20, 20, 20];
      const data = new Float32Array(8000);
      data[5 + 20 * (6 + 20 * 7)] = Number.NaN;
      const error = (await runSpoiled({ ...base, roiSize: [20, 20, 20] }, dimensions, () => undefined, data)) as AxialError;
      expect(error.code).toBe('INFERENCE_NOT_FINITE');
      expect(error.message).toMatch(
        new RegExp(
          String.raw`patch 1 of 1, starting at voxel \(0, 0, 0\).*output channel 0: 1 NaN of 8000 values, ` +
            String.raw`the first at voxel \(5, 6, 7\); its input already holds 1 non-finite values`,
        ),
      );
    });

    it('checks the padding too, where the value would be cropped away, and names a start before the image', async () => {
      // A 7×5×3 image in one 16×12×10 window: padded by 4, 3 and 3 before it.
      const error = (await runSpoiled(base, [7, 5, 3], (out) => {
        out[0] = Infinity;
      })) as AxialError;
      expect(error.code).toBe('INFERENCE_NOT_FINITE');
      expect(error.message).toMatch(/starting at voxel \(-4, -3, -3\).*channel 0: 1 Infinity of 1920 values, the first at voxel \(-4, -3, -3\)/);
    });

    it('lets finite extremes through', async () => {
      const error = await runSpoiled({ ...base, mode: 'constant' }, [20, 20, 20], (out) => {
        out[0] = 3.4e38;
        out[1] = -3.4e38;
      });
      expect(error).toBeNull();
    });
  });
});
