import { AxialError } from '../../errors/AxialError.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import type { SlidingWindowSpec } from '../ModelSpec.js';
import { notFinitePatchError } from './notFinitePatchError.js';
import { locateNotFinite, type NotFiniteSpot } from './locateNotFinite.js';
import { accumulateWindow } from './accumulateWindow.js';
import { importanceMap } from './importanceMap.js';
import { finishSlots, type SlotGeometry } from './finishSlots.js';
import { transposeToKFastest } from './transposeToKFastest.js';
import { voxelMaxima } from './voxelMaxima.js';
import { windowStarts } from './windowStarts.js';
import type { LeaderPlane } from './LeaderPlane.js';
import { leaderReach, leaderStore } from './leaderStore.js';
import { LeadersOverflow } from './LeadersOverflow.js';
import { windowLeaders, type WindowLeaders } from './windowLeaders.js';
import { releaseBuffer } from '../../io/releaseBuffer.js';

/** A window may hold 256³ voxels, or the whole image when that is more; larger is a mistaken roi_size, not a model. */
const maxWindowValues = 2 ** 24;
/** Float32 sums past this many bytes are stored in half precision when the caller leaves it to us. */
const halfSumsFrom = 2 ** 30;
/** The patches of one network call and its output hold at most 2^26 values (256 MiB as float32), or one patch when that is more. */
const maxBatchValues = 2 ** 26;

/**
 * Runs the network on `count` patches of size `roi`, laid out [count, 1, rx, ry, rz] (last axis fastest); returns
 * [count, C, rx, ry, rz], in an array that the next call may reuse (read it, or copy it, before calling again).
 */
export type RunBatch = (input: Float32Array, count: number, roi: readonly [number, number, number]) => Promise<Float32Array>;

/** Why a batch's leaders could not be listed: more classes within reach than the store keeps, a value not finite, the wrong size. */
export type SweepRefusal =
  { readonly kind: 'slots' } | { readonly kind: 'notFinite'; readonly spot: NotFiniteSpot } | { readonly kind: 'size'; readonly values: number };

/** A batch's outcome from RunLeaders: each patch's leaders, each in a buffer of its own; or why they could not be made. */
export type SweptBatch = { readonly lists: readonly WindowLeaders[] } | { readonly refused: SweepRefusal };

/**
 * RunBatch with each patch's output of `channels` swept into its leaders elsewhere (sweepLeaders), so that no output
 * comes back: the lists, or why they could not be made, from which the caller raises the error its own blending would.
 */
export type RunLeaders = (input: Float32Array, count: number, roi: readonly [number, number, number], channels: number) => Promise<SweptBatch>;

export interface SlidingWindowParams {
  /** i, j, k: the network's three spatial axes in order. */
  readonly dimensions: Vec3;
  /** Single-channel image, i fastest unless `layout` says k fastest. */
  readonly data: Float32Array;
  /**
   * 'k-fastest' (see transposeToKFastest): the image already in the network's order (as preprocessVolume makes it for
   * segmentVolume), so no copy is made here.
   */
  readonly layout?: 'i-fastest' | 'k-fastest';
  readonly spec: SlidingWindowSpec;
  readonly channels: number;
  readonly runBatch: RunBatch;
  /**
   * Given when runBatch copies its input when called and keeps each output until `ahead` calls after it (a runner on
   * another thread, createOnnxRunnerInWorker): the batches after this one are then started before it is blended, so
   * that `ahead` are in the runner at once, and `trim` lets go of the outputs once the last is blended, before the last
   * planes are finished (or once the batches still running have ended, after an error or a cancel, before which
   * `skipQueued` has the runner answer those it has not started without running them). With the leaders store,
   * `leaders` runs the batches instead, `leaders.ahead` at once, and the lists it gives are added as they are.
   */
  readonly overlapping?: {
    readonly trim: () => void;
    readonly ahead: number;
    readonly skipQueued?: () => void;
    readonly leaders?: { readonly run: RunLeaders; readonly ahead: number };
  };
  readonly activation: 'softmax' | 'sigmoid' | 'none';
  /**
   * How the weighted sums are stored: float32 (the default), half precision (half the memory), or
   * 'auto': half precision when float32 sums would pass 1 GiB (105 classes over a 273×273 plane: 3 GB).
   */
  readonly sums?: 'float32' | 'float16' | 'auto' | 'leaders';
  /**
   * True when what follows depends only on differences between the classes at each voxel (softmax, or
   * argmax of raw logits): half-precision sums then hold each class's gap below the voxel's best.
   */
  readonly shiftInvariant?: boolean;
  /**
   * Receives each finished k-plane in ascending order: C planes of I×J values (i fastest), after the activation. Plane k
   * is valid until plane k + 2 has been handed on (its memory is used again): a receiver that keeps more copies them.
   */
  readonly onPlane: (k: number, plane: Float32Array) => void;
  /**
   * With sums 'leaders' (softmax only), receives each finished k-plane instead of onPlane: each voxel's
   * classes of non-zero probability (see leaderSums; it throws LeadersOverflow where it cannot decide). Plane k is
   * valid until plane k + 2 has been handed on (its memory is used again): a receiver that keeps more copies them.
   */
  readonly onLeaders?: (k: number, plane: LeaderPlane) => void;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** The model file, for error messages. */
  readonly modelPath?: string;
}

/**
 * MONAI's SlidingWindowInferer, streamed along k: windows are visited in
 * order of their k start, so only `roi_k` planes of weighted sums are held at a
 * time, and each plane is handed on as soon as no later window can touch it.
 * Padding (to at least the ROI), the patch grid and the importance weights are MONAI's.
 * Each batch's output is checked finite before it is blended: a NaN would
 * otherwise pass through softmax and argmax as a confident background.
 * @throws HalfSumsOverflow when half-precision sums overflow (the caller may run again with float32 sums).
 * @throws LeadersOverflow when the leaders store cannot give the dense answer (the caller may run again with dense sums).
 * @throws AxialError MODEL_UNSUPPORTED for a roi_size past 256³ voxels and the image; INFERENCE_CANCELLED when the signal aborts;
 *   INFERENCE_FAILED when the network's output has the wrong size;
 *   INFERENCE_NOT_FINITE naming the patch and channel whose output holds a NaN or an infinity.
 */
export async function slidingWindowInference(params: SlidingWindowParams): Promise<void> {
  const { spec, channels } = params;
  const roi = spec.roiSize.map((r, a) => (r > 0 ? r : params.dimensions[a]!)) as [number, number, number];
  assertWindowSize(roi, params.dimensions, params.modelPath);
  const padded = roi.map((r, a) => Math.max(r, params.dimensions[a]!)) as [number, number, number];
  const padBefore = padded.map((p, a) => Math.floor((p - params.dimensions[a]!) / 2)) as [number, number, number];
  const starts = [0, 1, 2].map((a) => windowStarts(padded[a]!, roi[a]!, spec.overlap));
  const weights = importanceMap(roi, spec.mode, spec.sigmaScale);
  const planeSize = padded[0] * padded[1];
  const bandValues = channels * roi[2] * planeSize;
  // Half-precision sums hold gaps below each voxel's best logit (see accumulateWindow) where that changes nothing,
  // held at maxGap so they cannot overflow. 'auto' keeps float32 where that hold would bite (exp(-40) is nothing
  // in softmax; an overlap of 0.95, 20 windows an axis, would hold gaps at 7.5).
  // A loop, not Math.max(...): an axis may be a million voxels long (roi_size [1000000, 1, 1]), past the spread's stack.
  const mostWindows = starts.reduce((product, list, a) => product * windowCoverage(list, roi[a]!, padded[a]!).reduce((m, v) => Math.max(m, v), 0), 1);
  const maxGap = 60000 / mostWindows;
  const leaders = params.sums === 'leaders' ? leaderStore(params, padded, padBefore, roi) : undefined;
  const half = params.sums === 'float16' || (params.sums === 'auto' && bandValues * 4 > halfSumsFrom && maxGap >= 40);
  const band = leaders ? new Float32Array(0) : half ? new Uint16Array(bandValues) : new Float32Array(bandValues);
  const patchSize = roi[0] * roi[1] * roi[2];
  const maxima = half && params.shiftInvariant ? new Float32Array(patchSize) : undefined;
  const total = starts[0]!.length * starts[1]!.length * starts[2]!.length;
  // MONAI's result does not depend on sw_batch_size, so a huge one is only capped, never refused.
  // The output counts too: one 96³ patch of 105 classes is already 93 million values.
  const batchSize = Math.max(1, Math.min(spec.swBatchSize, Math.floor(maxBatchValues / (patchSize * (1 + channels)))));
  // An overlapping runner has the batches after this one queued behind it, so that it does not wait while this thread
  // finishes a block of planes (a second or more at 105 classes); one that sweeps them into lists, more of them.
  const swept = leaders ? params.overlapping?.leaders : undefined;
  const ahead = swept?.ahead ?? params.overlapping?.ahead ?? 1;
  // An input array for each batch in the runner, so that an error still names its own batch's patch when the next are cut.
  const inputs = Array.from({ length: ahead }, () => new Float32Array(batchSize * patchSize));
  // With constant weights, a voxel's weight is the number of windows over it: per-axis counts multiplied.
  const coverage = spec.mode === 'constant' ? starts.map((list, a) => windowCoverage(list, roi[a]!, padded[a]!)) : undefined;
  const bandWeight = new Float32Array(coverage || leaders ? 0 : roi[2] * planeSize);
  const finisher = leaders ? leaders.finisher : planeFinisher(params, padded, padBefore, roi[2], band, bandWeight, coverage);
  const kFastest = params.layout === 'k-fastest' ? params.data : transposeToKFastest(params.data, params.dimensions);
  const batches = windowBatches(starts, batchSize);
  const start = (b: number): Promise<SweptBatch | { readonly output: Float32Array }> => {
    if (params.signal?.aborted) throw new AxialError('INFERENCE_CANCELLED', 'segmentation cancelled');
    const input = inputs[b % inputs.length]!;
    batches[b]!.forEach((w, n) => extractPatch(params, kFastest, padBefore, roi, w, input.subarray(n * patchSize, (n + 1) * patchSize)));
    const patches = input.subarray(0, batches[b]!.length * patchSize);
    return swept ? swept.run(patches, batches[b]!.length, roi, channels) : params.runBatch(patches, batches[b]!.length, roi).then((output) => ({ output }));
  };
  const running: Promise<SweptBatch | { readonly output: Float32Array }>[] = [];
  /** Starts the batches from `next` on that are not yet started, up to `ahead` of them. */
  const fill = (next: number): void => {
    while (next + running.length < Math.min(batches.length, next + ahead)) {
      const started = start(next + running.length);
      // A later batch may fail while an earlier one is awaited (a swept run's error and the sweep's lists come from two
      // threads): its rejection is read in turn, or by the catch below, never left unhandled meanwhile.
      started.catch(() => undefined);
      running.push(started);
    }
  };
  let done = 0;
  try {
    for (let b = 0; b < batches.length; b++) {
      const windows = batches[b]!;
      const input = inputs[b % inputs.length]!;
      // Planes before this batch's k start are finished now: every window of an earlier start has been blended. An
      // overlapping runner gets its next batch first, to run while they are; a runner on this thread is called after,
      // as segmentVolume times it from the call (onnxruntime-node starts the run on a later turn).
      if (params.overlapping) fill(b);
      finisher.finishBefore(windows[0]![2]);
      fill(b);
      const result = await running.shift()!;
      const notFinite = (spot: NotFiniteSpot): AxialError =>
        notFinitePatchError({ ...params, spot, input, windows, roi, channels, padBefore, first: done, total });
      const wrongSize = (values: number): AxialError =>
        new AxialError('INFERENCE_FAILED', `the network returned ${values} values for ${windows.length} patches of ${roi.join('×')} with ${channels} channels`);
      if ('refused' in result) {
        const { refused } = result;
        if (refused.kind === 'slots') throw new LeadersOverflow('slots');
        throw refused.kind === 'size' ? wrongSize(refused.values) : notFinite(refused.spot);
      }
      if ('lists' in result) {
        try {
          if (result.lists.length !== windows.length || result.lists.some((l) => l.count.length !== patchSize)) {
            throw wrongSize(result.lists.reduce((sum, l) => sum + l.count.length, 0) * channels);
          }
          result.lists.forEach((lists, n) => leaders!.sums.add(lists, windows[n]!, roi, coverage ? undefined : weights));
        } finally {
          letGo(result);
        }
        done += windows.length;
        params.onProgress?.(done, total);
        continue;
      }
      const { output } = result;
      if (output.length !== windows.length * channels * patchSize) throw wrongSize(output.length);
      windows.forEach((w, n) => {
        // accumulateWindow sums 0 × each value it blends: 0 when all are finite, NaN otherwise (the check costs no extra pass).
        const windowOutput = output.subarray(n * channels * patchSize);
        if (leaders) {
          const probe = windowLeaders(windowOutput, channels, patchSize, leaderReach, leaders.lists);
          if (probe !== 0) throw notFinite(locateNotFinite(output, channels, patchSize)!);
          leaders.sums.add(leaders.lists, w, roi, coverage ? undefined : weights);
          return;
        }
        const shift = maxima && voxelMaxima(windowOutput, channels, patchSize, maxima);
        if (accumulateWindow(windowOutput, w, roi, padded, channels, coverage ? undefined : weights, band, bandWeight, shift, maxGap) !== 0) {
          throw notFinite(locateNotFinite(output, channels, patchSize)!);
        }
      });
      done += windows.length;
      params.onProgress?.(done, total);
    }
  } catch (error) {
    // Batches started ahead of an error or a cancel end unread (those not yet started, unrun), so that nothing stays held.
    params.overlapping?.skipQueued?.();
    await Promise.allSettled(running.map((r) => r.then(letGo)));
    params.overlapping?.trim();
    throw error;
  }
  params.overlapping?.trim();
  finisher.finishBefore(padded[2]);
}

/** Lets go of a swept batch's lists now, not at the collector's leisure. */
function letGo(result: SweptBatch | { readonly output: Float32Array }): void {
  if ('lists' in result) for (const lists of result.lists) releaseBuffer(lists.count.buffer as ArrayBuffer);
}

/** The windows' starts in batches of at most `batchSize`, in order of their k start (a batch never spans two). */
function windowBatches(starts: readonly (readonly number[])[], batchSize: number): (readonly (readonly [number, number, number])[])[] {
  const batches: [number, number, number][][] = [];
  for (const kStart of starts[2]!) {
    const group: [number, number, number][] = [];
    for (const i of starts[0]!) for (const j of starts[1]!) group.push([i, j, kStart]);
    for (let b = 0; b < group.length; b += batchSize) batches.push(group.slice(b, b + batchSize));
  }
  return batches;
}

/** Copies one window of the (virtually padded) image into the network's layout, z fastest. */
function extractPatch(
  params: SlidingWindowParams,
  kFastest: Float32Array,
  padBefore: readonly number[],
  roi: readonly [number, number, number],
  window: readonly [number, number, number],
  target: Float32Array,
): void {
  const [ni, nj, nk] = params.dimensions;
  const start = [0, 1, 2].map((a) => window[a]! - padBefore[a]!);
  if (start.every((s, a) => s >= 0 && s + roi[a]! <= params.dimensions[a]!)) {
    // Inside the image: every patch row is a contiguous run of the k-fastest copy.
    for (let x = 0; x < roi[0]; x++) {
      for (let y = 0; y < roi[1]; y++) {
        const from = ((start[0]! + x) * nj + start[1]! + y) * nk + start[2]!;
        target.set(kFastest.subarray(from, from + roi[2]), (x * roi[1] + y) * roi[2]);
      }
    }
    return;
  }
  const { paddingMode, cval } = params.spec;
  const source = (p: number, n: number): number => {
    if (p >= 0 && p < n) return p;
    if (paddingMode === 'constant') return -1;
    if (paddingMode === 'replicate') return p < 0 ? 0 : n - 1;
    const period = 2 * (n - 1) || 1;
    const m = ((p % period) + period) % period;
    return m < n ? m : period - m;
  };
  const sourceOf = (axis: number, n: number): Int32Array => Int32Array.from({ length: roi[axis]! }, (_, x) => source(window[axis]! + x - padBefore[axis]!, n));
  const [sourceI, sourceJ, sourceK] = [sourceOf(0, ni), sourceOf(1, nj), sourceOf(2, nk)];
  let t = 0;
  for (let x = 0; x < roi[0]; x++) {
    const i = sourceI[x]!;
    for (let y = 0; y < roi[1]; y++) {
      const j = sourceJ[y]!;
      const row = i < 0 || j < 0 ? -1 : (i * nj + j) * nk;
      for (let z = 0; z < roi[2]; z++, t++) {
        const k = sourceK[z]!;
        target[t] = row < 0 || k < 0 ? cval : kFastest[row + k]!;
      }
    }
  }
}

/** How many windows (of `roi`, starting at `starts`) cover each index of an axis of `size`. */
function windowCoverage(starts: readonly number[], roi: number, size: number): Int32Array {
  const counts = new Int32Array(size);
  for (const start of starts) for (let n = start; n < start + roi; n++) counts[n] = counts[n]! + 1;
  return counts;
}

/**
 * Divides finished planes by their weight, applies the activation, crops the
 * padding and hands them on. Planes are finished a block at a time so the
 * band (k fastest) is read and cleared in contiguous runs.
 */
function planeFinisher(
  params: SlidingWindowParams,
  padded: readonly [number, number, number],
  padBefore: readonly [number, number, number],
  roiK: number,
  band: Float32Array | Uint16Array,
  bandWeight: Float32Array,
  coverage: Int32Array[] | undefined,
) {
  const [ni, nj, nk] = params.dimensions;
  const { channels } = params;
  const planeSize = padded[0] * padded[1];
  const area = ni * nj;
  const planeValues = channels * area;
  const blockLimit = Math.max(1, Math.min(16, Math.floor((64 << 20) / (4 * planeValues))));
  const geometry: SlotGeometry = { channels, padded: [padded[0], padded[1]], padBefore: [padBefore[0], padBefore[1]], image: [ni, nj], roiK };
  let next = 0;
  // Made once and used again: each fresh array's pages cost their first touch (a 512×512×100 CT's last 96 planes, 2
  // classes, made 300 MB of them, 0.6 s on a host that pays 11 µs a page).
  let weights: Float32Array | undefined;
  /**
   * Finished planes go into three blocks in turn, so a receiver may keep plane k until plane k + 2 has been handed on
   * without copying it (31 MB a plane at 105 classes): a block's memory is used again three blocks later. A block of
   * padding planes only is cleared without being finished, so the last planes handed on are never written over.
   */
  const blocks: Float32Array[] = [];
  let blocksMade = 0;
  const finishBlock = (slot: number, count: number): Float32Array => {
    // Each image voxel's weight for each slot: window counts (constant mode) or the summed importance map.
    weights ??= new Float32Array(blockLimit * area);
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const p = i + padBefore[0] + padded[0] * (j + padBefore[1]);
        const inPlaneCount = coverage ? coverage[0]![i + padBefore[0]]! * coverage[1]![j + padBefore[1]]! : 0;
        for (let b = 0; b < count; b++) {
          weights[b * area + i + ni * j] = coverage ? inPlaneCount * coverage[2]![next + b]! : bandWeight[p * roiK + slot + b]!;
        }
      }
    }
    clearWeights(slot, count);
    const block = (blocks[blocksMade++ % 3] ??= new Float32Array(blockLimit * planeValues));
    return finishSlots(band, weights, geometry, slot, count, block);
  };
  const clearWeights = (slot: number, count: number): void => {
    if (!coverage) for (let p = 0; p < planeSize; p++) bandWeight.fill(0, p * roiK + slot, p * roiK + slot + count);
  };
  return {
    finishBefore(limit: number): void {
      while (next < limit) {
        const slot = next % roiK;
        const count = Math.min(blockLimit, limit - next, roiK - slot);
        if (next + count <= padBefore[2] || next >= padBefore[2] + nk) {
          for (let run = slot; run < band.length; run += roiK) band.fill(0, run, run + count);
          clearWeights(slot, count);
          next += count;
          continue;
        }
        const block = finishBlock(slot, count);
        for (let b = 0; b < count; b++) {
          const k = next + b - padBefore[2];
          if (k < 0 || k >= nk) continue;
          const plane = block.subarray(b * planeValues, (b + 1) * planeValues);
          activate(plane, channels, ni * nj, params.activation);
          params.onPlane(k, plane);
        }
        next += count;
      }
    },
  };
}

function activate(values: Float32Array, channels: number, size: number, activation: 'softmax' | 'sigmoid' | 'none'): void {
  if (activation === 'sigmoid') {
    for (let n = 0; n < values.length; n++) values[n] = 1 / (1 + Math.exp(-values[n]!));
    return;
  }
  if (activation !== 'softmax') return;
  if (channels === 2) {
    softmaxTwo(values, size);
    return;
  }
  // Class by class, as the plane is laid out, with each voxel's running max and sum beside it; the
  // sums add the same terms in the same order as a voxel-by-voxel loop would.
  const max = new Float32Array(size).fill(-Infinity);
  const sum = new Float64Array(size);
  for (let c = 0; c < channels; c++) for (let v = 0; v < size; v++) max[v] = Math.max(max[v]!, values[c * size + v]!);
  for (let c = 0; c < channels; c++) {
    for (let v = 0; v < size; v++) {
      // exp(-30) is under 2^-43: such terms cannot change a float32 probability, and skipping their
      // exp (about 10 ns each) is what keeps softmax over 105 classes cheap, as most classes are far below the best.
      const d = values[c * size + v]! - max[v]!;
      const e = d < -30 ? 0 : Math.exp(d);
      values[c * size + v] = e;
      sum[v] = sum[v]! + e;
    }
  }
  for (let c = 0; c < channels; c++) for (let v = 0; v < size; v++) values[c * size + v] = values[c * size + v]! / sum[v]!;
}

/**
 * activate's softmax for two classes, voxel by voxel in one sweep: the same operations on the same values as the
 * general loop (the max of two float32 values, exp of each gap unless it is below −30, the float64 sum of the two
 * unrounded terms in class order, each float32 term divided by it), so the same probabilities bit for bit.
 */
function softmaxTwo(values: Float32Array, size: number): void {
  for (let v = 0; v < size; v++) {
    const a = values[v]!;
    const b = values[size + v]!;
    const max = Math.max(a, b);
    const da = a - max;
    const db = b - max;
    const ea = da < -30 ? 0 : Math.exp(da);
    const eb = db < -30 ? 0 : Math.exp(db);
    const sum = ea + eb;
    values[v] = Math.fround(ea) / sum;
    values[size + v] = Math.fround(eb) / sum;
  }
}

/** @throws AxialError MODEL_UNSUPPORTED for a window over 256³ voxels that is also larger than the image. */
function assertWindowSize(roi: readonly [number, number, number], dimensions: Vec3, modelPath: string | undefined): void {
  const values = roi[0] * roi[1] * roi[2];
  if (values <= Math.max(maxWindowValues, dimensions[0] * dimensions[1] * dimensions[2])) return;
  throw new AxialError(
    'MODEL_UNSUPPORTED',
    `the sliding window's roi_size ${roi.join('×')} (${values} voxels) is larger than both 256³ and the ${dimensions.join('×')} image it slides over`,
    { file: modelPath },
  );
}
