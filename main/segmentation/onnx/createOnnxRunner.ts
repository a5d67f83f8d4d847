import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AxialError } from '../../errors/AxialError.js';
import { releaseOwnBuffer } from '../../io/releaseOwnBuffer.js';
import type { RunBatch } from '../inference/slidingWindowInference.js';
import type { ModelSpec } from '../ModelSpec.js';
import { checkModelShapes } from './checkModelShapes.js';
import { networkSpatialShape } from './networkSpatialShape.js';
import { transposeBlocks } from './transposeBlocks.js';
import type { OptimizedModel } from './optimizeOnnxModel.js';
import { optimizeOnnxModelInWorker } from './optimizeOnnxModelInWorker.js';
import { freshPageCost } from './freshPageCost.js';
import type { SubPixelMode } from './rewriteConvTransposes.js';
import type { DepthMajorShape } from './rewriteDepthMajor.js';
import type { LeadersTailRequest, LeadersTailResult } from './appendLeadersTail.js';
import { leaderSlots } from '../inference/leaderStore.js';
import type { TopLeaders } from '../inference/topLeaders.js';

/**
 * Fresh memory's cost (freshPageCost, ms per MiB) above which the leaders tail pays. Measured on the Zen 5 VM, a
 * 105-class 96³ window, its run and sweep (alternating, medians of 8): with fresh memory at about 3 ms per MiB, 1324 ms
 * whole against 588 ms with the tail; with glibc's malloc on huge pages, where it was mostly below 0.3, 207 against
 * 399 ms. Drawn as lines in that cost (the whole output's 354 MiB against the tail's 38), they cross at 0.6–0.9 ms per
 * MiB. So above 1, where the tail is ahead by a sixth or more.
 */
const tailPaysAbove = 1;

let freshPageCostHere: number | undefined;
/** freshPageCost, the median of three (a pause during one fill reads as dear memory), measured once a thread. */
function measuredFreshPageCost(): number {
  return (freshPageCostHere ??= [freshPageCost(), freshPageCost(), freshPageCost()].sort((a, b) => a - b)[1]!);
}

/** What `--device` accepts. */
export const inferenceDevices = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type InferenceDevice = (typeof inferenceDevices)[number];

/** A provider `auto` tried before the one that ran, and why it did not run. */
export interface SkippedProvider {
  readonly provider: string;
  readonly reason: string;
}

export interface OnnxRunner {
  /** The execution provider the session runs on: cpu, cuda, dml, coreml or webgpu. */
  readonly provider: string;
  readonly skipped: readonly SkippedProvider[];
  readonly runBatch: RunBatch;
  readonly inputName: string;
  readonly outputName: string;
  /** The model's fixed batch size, when its batch axis is not symbolic; runBatch then feeds batches of exactly this size. */
  readonly fixedBatch: number | null;
  /** Where the model's channel axis is (see checkModelShapes); runBatch takes and gives channels first either way. */
  readonly layout: 'channels-first' | 'channels-last';
  /**
   * What the load-time graph rewrite did: ConvTransposes replaced, those left alone and why, or why the model was left
   * as it is; after the depth-major form gave way to the general one, the general one's, with why.
   */
  readonly graphRewrite: GraphRewrite;
  /**
   * With CreateOnnxRunnerOptions.leadersTail: a batch's leading classes from the leaders tail (appendLeadersTail.ts)
   * instead of its output; its output after all, run again, where a value is not finite (for the sweep to say where);
   * null when the session has no tail (the model did not take one, or a run was asked for whole: see runBatch).
   */
  readonly runLeaders: (input: Float32Array, count: number, roi: readonly [number, number, number]) => Promise<TopLeaders | Float32Array | null>;
  /** Lets go of the last output (371 MB for a 96³ window of 105 classes) and the arrays runBatch reuses, between runs. */
  trim(): void;
  release(): Promise<void>;
}

export interface GraphRewrite {
  readonly rewritten: number;
  /** PRelus with one slope run as LeakyRelu, which onnxruntime fuses into the Conv before it. */
  readonly leakyRelus: number;
  /** Convs merged into a sibling Conv that reads the same input with the same geometry. */
  readonly mergedConvs: number;
  /**
   * 3D convolutions run as 2D ones over a depth-major graph built for the spec's window (rewriteDepthMajor.ts), or 0;
   * as opened (a window of another size would run on the general form, opened then).
   */
  readonly depthMajor: number;
  /** Why the depth-major form was not used, or null (used, or not asked). */
  readonly depthMajorReason: string | null;
  /** Whether the session has the leaders tail (CreateOnnxRunnerOptions.leadersTail), as opened or after a run asked for whole. */
  readonly leadersTail: boolean;
  readonly skipped: readonly { readonly node: string; readonly reason: string }[];
  /** Why the model runs as it is (too large, undecodable, refused by onnxruntime after the rewrite), or null. */
  readonly reason: string | null;
}

export interface CreateOnnxRunnerOptions {
  /** For tests: the platform whose `auto` order to use. */
  readonly platform?: NodeJS.Platform;
  /**
   * The CPU provider's ConvTranspose rewrite (optimizeOnnxModel.ts): 'unified' (the default, measured fastest), 'phases',
   * or false to run the file as it is (for benchmarks).
   */
  readonly rewrite?: SubPixelMode | false;
  /** For benchmarks: false leaves out the depth-major form (default: tried for a 3D sliding window of a fixed size). */
  readonly depthMajor?: boolean;
  /** For tests: the machine's memory in bytes, which bounds the depth-major form's (default os.totalmem()). */
  readonly totalMemory?: number;
  /** For benchmarks: onnxruntime session options over Axial's own. */
  readonly sessionOverrides?: Partial<ort.InferenceSession.SessionOptions>;
  /**
   * For runs whose outputs go to the leaders store (usesLeaderStore): on the CPU provider, the model gets the leaders
   * tail (appendLeadersTail.ts), which runLeaders reads: 'always', or 'auto' where fresh memory is dear enough for it to
   * pay (see tailPaysAbove).
   */
  readonly leadersTail?: 'auto' | 'always';
  /** For tests: what freshPageCost would measure, in ms per MiB. */
  readonly freshPageCost?: number;
  /** Hears why a rewrite was not used (default console.warn). */
  readonly onWarning?: (message: string) => void;
}

/**
 * The providers `device` stands for, in the order they are tried: for `auto`
 * the platform's GPU providers (CUDA where onnxruntime-node has it, DirectML on
 * Windows, CoreML on macOS), then WebGPU, then the CPU.
 */
export function providerOrder(device: InferenceDevice, platform: NodeJS.Platform = process.platform): string[] {
  if (device !== 'auto') return [device];
  if (platform === 'win32') return ['cuda', 'dml', 'webgpu', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu', 'cpu'];
  if (platform === 'linux') return ['cuda', 'webgpu', 'cpu'];
  return ['webgpu', 'cpu'];
}

/**
 * Opens an ONNX session on the first provider of `device` that loads, and
 * checks the model's declared input and output shapes against the spec before
 * any patch runs. The CPU provider uses every core. A 2D network (a spec with
 * a slice axis, MONAI's SliceInferer) is fed each batch of one-voxel-thick
 * windows as [N, C, h, w] and its output read back as the windows' [N, K, x, y, z],
 * both over the same arrays. A channels-last model (tf2onnx's Keras export) is
 * fed [N, ..., C] and its [N, ..., K] output transposed back.
 * @throws AxialError MODEL_NOT_FOUND when the file is missing; MODEL_INVALID when the file is not a model onnxruntime can
 *   load (garbage, a truncated protobuf), whatever the device; INFERENCE_PROVIDER_UNAVAILABLE when a named device cannot
 *   run here (with onnxruntime's reason); MODEL_SHAPE_MISMATCH and MODEL_UNSUPPORTED from the shape check. runBatch
 *   throws INFERENCE_OUT_OF_MEMORY or INFERENCE_FAILED (a depth-major batch out of memory is run again in the general
 *   form first), and MODEL_INVALID should the general form fail to open after the depth-major one.
 */
export async function createOnnxRunner(
  modelPath: string,
  device: InferenceDevice,
  spec: ModelSpec,
  options: CreateOnnxRunnerOptions = {},
): Promise<OnnxRunner> {
  if (!existsSync(modelPath)) throw new AxialError('MODEL_NOT_FOUND', 'no such ONNX file', { file: modelPath });
  const windowShape = depthMajorShape(spec, options);
  // One class more than the store keeps shows when it would overflow (see topLeaders).
  const tailRequest = options.leadersTail ? { channels: spec.output.channels, k: leaderSlots + 1 } : null;
  const opened = await openSession(modelPath, device, options, windowShape, tailRequest);
  const { provider, skipped } = opened;
  let graphRewrite = opened.graphRewrite;
  let session = opened.session;
  let tail = opened.tail;
  let shapes: ReturnType<typeof checkModelShapes>;
  try {
    shapes = checkModelShapes(session.inputMetadata, session.outputMetadata, spec);
  } catch (error) {
    await session.release();
    throw error;
  }
  const { inputName, outputName, fixedBatch, layout } = shapes;
  const channels = spec.output.channels;
  const inChannels = spec.input.channels;
  const last = layout === 'channels-last';
  // onnxruntime-node 1.30 never writes into a caller's array: given one, it copies its output there, and returns a
  // fresh array of its own besides (371 MB at 105 classes, each a new allocation). So the runner takes that array
  // as it comes and lets it go at the next call: on the 105-class bench, one copy of each window's output less.
  let returned: Float32Array | undefined;
  // A channels-last model's input and output in its own order, for more than one channel (one channel is the same array).
  let reusedIn = new Float32Array(0);
  let reusedOut = new Float32Array(0);
  const { sliceAxis } = spec.inferer;
  // The depth-major graph runs on its one window size (its input declares it). The sliding window feeds only that size and
  // click models have none, so another size is not expected; should one come, or should the form run out of memory, the
  // general form takes over from then on.
  let depthMajorFor: readonly number[] | null = graphRewrite.depthMajor > 0 ? windowShape!.spatial : null;
  let leaving: Promise<void> | null = null;
  let released = false;
  /** Whether sessions opened from here on get the leaders tail: until a run is asked for whole (see dropTail). */
  let wantTail = tail !== null;
  const leaveDepthMajor = (forMemory: boolean, window: readonly number[]): Promise<void> =>
    (leaving ??= (async () => {
      // Out of memory, the depth-major session's arena is let go of first, so that the general form opens in its room.
      if (forMemory && !released) {
        released = true;
        await session.release().catch(() => undefined);
      }
      try {
        const general = await openSession(modelPath, 'cpu', { ...options, depthMajor: false }, null, wantTail ? tailRequest : null);
        const old = session;
        session = general.session;
        tail = general.tail;
        const why = forMemory ? 'it ran out of memory' : `a window of ${window.join('×')}, not the ${depthMajorFor!.join('×')} it was built for`;
        graphRewrite = { ...general.graphRewrite, depthMajorReason: `left during the run: ${why}` };
        depthMajorFor = null;
        if (!released) await old.release().catch(() => undefined);
        released = false;
      } catch (error) {
        leaving = null;
        // Memory still short is said so, not as a model onnxruntime cannot load.
        throw error instanceof AxialError && !outOfMemory.test(error.message) ? error : runError(error, provider, modelPath);
      }
    })());
  /**
   * One batch on the session, for its output or (`leaders`) the leaders tail's, with the depth-major form left for the
   * general one where it must be. Fetched by the names of the session that runs it, which a fallback may change; a
   * fallback whose general form took no tail fetches the output (then the results lack the tail's).
   */
  const runFetches = async (data: Float32Array, count: number, roi: readonly [number, number, number], leaders: boolean) => {
    if (sliceAxis !== undefined && roi[sliceAxis] !== 1) {
      throw new AxialError('INFERENCE_FAILED', `a window of ${roi.join('×')} for a 2D network over slices across axis ${sliceAxis}`, { file: modelPath });
    }
    // A 2D network (SliceInferer) sees the same values as [N, C, h, w]: the window is one voxel thick across the slices.
    const spatial = networkSpatialShape(roi, sliceAxis);
    const voxels = roi[0] * roi[1] * roi[2];
    const dims = (c: number): number[] => (last ? [count, ...spatial, c] : [count, c, ...spatial]);
    let fed = data;
    if (last && inChannels > 1) {
      if (reusedIn.length < data.length) reusedIn = new Float32Array(data.length);
      fed = transposeBlocks(data, reusedIn, count, inChannels, voxels);
    }
    // A DeepEdit model takes its image and guidance channels together; every other model one image channel.
    const feeds = { [inputName]: new ort.Tensor('float32', fed, dims(inChannels)) };
    const fetches = (): string[] => (leaders && tail ? [tail.values, tail.ids, tail.sums] : [outputName]);
    // (A session let go of for memory whose general form then failed to open is opened again here.)
    if (released || (depthMajorFor !== null && spatial.some((v, a) => v !== depthMajorFor![a]))) await leaveDepthMajor(released, spatial);
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run(feeds, fetches());
    } catch (error) {
      const failure = runError(error, provider, modelPath);
      if (depthMajorFor === null || failure.code !== 'INFERENCE_OUT_OF_MEMORY') throw failure;
      // Its depth stacks are k times their input: the general form needs less, and the run goes on there.
      (options.onWarning ?? console.warn)(`${modelPath}: the depth-major form ran out of memory; the general form runs from here on`);
      await leaveDepthMajor(true, spatial);
      try {
        results = await session.run(feeds, fetches());
      } catch (error) {
        throw runError(error, provider, modelPath);
      }
    }
    return { results, spatial, voxels, dims };
  };
  // onnxruntime runs the leaders tail whatever a run fetches: the first run asked for whole (a leaders store that could
  // not decide, going again with dense sums) opens the session again without it, in the form it is in. A session let go
  // of for memory is opened again by runFetches, without it.
  let droppingTail: Promise<void> | null = null;
  const dropTail = (): Promise<void> =>
    (droppingTail ??= (async () => {
      wantTail = false;
      if (released) {
        tail = null;
        return;
      }
      try {
        const plain = await openSession(
          modelPath,
          'cpu',
          depthMajorFor ? options : { ...options, depthMajor: false },
          depthMajorFor ? windowShape : null,
          null,
        );
        const old = session;
        session = plain.session;
        tail = null;
        // The form it opened in: the depth-major one may have been refused this time.
        graphRewrite = plain.graphRewrite;
        depthMajorFor = plain.graphRewrite.depthMajor > 0 ? windowShape!.spatial : null;
        await old.release().catch(() => undefined);
      } catch (error) {
        // The tail costs only time: the runs go on whole on the session that has it.
        (options.onWarning ?? console.warn)(`${modelPath}: the session could not be opened again without the leaders tail: ${conciseReason(error)}`);
      }
    })());
  const runOnce = async (data: Float32Array, count: number, roi: readonly [number, number, number]): Promise<Float32Array> => {
    // (In the worker, the last output has gone to the caller's thread: detached here, it is not let go of again.)
    if (returned) releaseOwnBuffer(returned);
    returned = undefined;
    const { results, voxels, dims } = await runFetches(data, count, roi, false);
    const tensor = results[outputName];
    const output = tensor?.location === 'cpu' && tensor.data instanceof Float32Array ? tensor.data : undefined;
    const size = count * channels * voxels;
    const expected = dims(channels);
    // The shape itself, not only the count: a dynamic axis could give the same values in another order.
    if (!output || output.length !== size || tensor!.dims.length !== expected.length || tensor!.dims.some((d, a) => d !== expected[a])) {
      const given = output ? `an output of ${tensor!.dims.join('×')}` : 'no float32 output';
      throw new AxialError('INFERENCE_FAILED', `the network gave ${given} for ${count} patches of ${roi.join('×')} (expected ${expected.join('×')})`, {
        file: modelPath,
      });
    }
    if (!last || channels === 1) {
      returned = output;
      return output;
    }
    // In the worker, the transposed array goes to the caller's thread each call, and the next call makes another.
    if (reusedOut.length < size) reusedOut = new Float32Array(size);
    const ordered = transposeBlocks(output, reusedOut, count, voxels, channels);
    releaseOwnBuffer(output);
    return ordered;
  };
  /** A batch in the model's fixed batches where it has one, the last padded with zeros. */
  const inBatches = async <T>(input: Float32Array, count: number, run: (chunk: Float32Array, n: number) => Promise<T>): Promise<T[]> => {
    const per = fixedBatch ?? count;
    const patch = input.length / count;
    const results: T[] = [];
    for (let first = 0; first < count; first += per) {
      const n = Math.min(per, count - first);
      let chunk = input.subarray(first * patch, (first + n) * patch);
      if (n < per) {
        const padded = new Float32Array(per * patch);
        padded.set(chunk);
        chunk = padded;
      }
      results.push(await run(chunk, n));
    }
    return results;
  };
  const runWhole: RunBatch = async (input, count, roi) => {
    if (fixedBatch === null || fixedBatch === count) return runOnce(input, count, roi);
    const voxels = input.length / count / spec.input.channels;
    const output = new Float32Array(count * channels * voxels);
    let first = 0;
    await inBatches(input, count, async (chunk, n) => {
      const result = await runOnce(chunk, fixedBatch, roi);
      output.set(result.subarray(0, n * channels * voxels), first * channels * voxels);
      first += n;
    });
    return output;
  };
  const runBatch: RunBatch = async (input, count, roi) => {
    if (tail) await dropTail();
    return runWhole(input, count, roi);
  };
  /** One batch of `count` (the model's fixed batch, if it has one) through the leaders tail; null when the session has none. */
  const topOnce = async (input: Float32Array, count: number, roi: readonly [number, number, number]): Promise<TopLeaders | null> => {
    const { results, spatial } = await runFetches(input, count, roi, true);
    if (!tail) return null;
    const k = tailRequest!.k;
    const values = results[tail.values];
    const ids = results[tail.ids];
    const sums = results[tail.sums];
    const expected = [count, ...spatial, k];
    const shaped = (t: ort.Tensor | undefined, dims: readonly number[]): boolean =>
      t?.location === 'cpu' && t.dims.length === dims.length && t.dims.every((d, a) => d === dims[a]);
    if (
      !shaped(values, expected) ||
      !(values!.data instanceof Float32Array) ||
      !shaped(ids, expected) ||
      !(ids!.data instanceof Uint8Array || ids!.data instanceof Uint16Array) ||
      !shaped(sums, [count, channels]) ||
      !(sums!.data instanceof Float32Array)
    ) {
      throw new AxialError('INFERENCE_FAILED', `the network’s leading classes for ${count} patches of ${roi.join('×')} are not [${expected.join('×')}]`, {
        file: modelPath,
      });
    }
    return { k, values: values!.data, ids: ids!.data, sums: sums!.data };
  };
  const runLeaders: OnnxRunner['runLeaders'] = async (input, count, roi) => {
    if (!tail || last) return null;
    const chunks = await inBatches(input, count, async (chunk, n) => ({ n, top: await topOnce(chunk, fixedBatch ?? count, roi) }));
    // A fallback's general form took no tail.
    if (chunks.some((c) => c.top === null)) return null;
    const tops = chunks.map((c) => ({ n: c.n, top: c.top! }));
    // A value not finite in a patch fed (not the padding): the batch again whole, for the sweep to say where.
    if (tops.some(({ n, top }) => !top.sums.subarray(0, n * channels).every(Number.isFinite))) return runWhole(input, count, roi);
    if (tops.length === 1 && tops[0]!.n === tops[0]!.top.sums.length / channels) return tops[0]!.top;
    const k = tailRequest!.k;
    const perPatch = tops[0]!.top.values.length / (fixedBatch ?? count);
    const values = new Float32Array(count * perPatch);
    const ids = tops[0]!.top.ids instanceof Uint8Array ? new Uint8Array(count * perPatch) : new Uint16Array(count * perPatch);
    const sums = new Float32Array(count * channels);
    let at = 0;
    for (const { n, top } of tops) {
      values.set(top.values.subarray(0, n * perPatch), at * perPatch);
      ids.set(top.ids.subarray(0, n * perPatch), at * perPatch);
      sums.set(top.sums.subarray(0, n * channels), at * channels);
      at += n;
    }
    return { k, values, ids, sums };
  };
  const trim = (): void => {
    if (returned) releaseOwnBuffer(returned);
    returned = undefined;
    reusedIn = new Float32Array(0);
    reusedOut = new Float32Array(0);
  };
  return {
    provider,
    skipped,
    runBatch,
    runLeaders,
    inputName,
    outputName,
    fixedBatch,
    layout,
    get graphRewrite() {
      return graphRewrite;
    },
    trim,
    release: async () => void (released || (await session.release())),
  };
}

/**
 * The one window a depth-major graph can be built for: a 3D sliding window of a fixed size on the CPU rewrite. The
 * form may take an eighth of the machine's memory (a container's limit where it has one) over the general form's:
 * measured, 2.5–2.7 times its largest depth stack per window times the windows per batch (the spleen UNet: 303 MiB
 * for 28 MiB × 4; a DynUNet of 32 to 320 channels at 64³: 1.0 GiB for 201 MiB × 2).
 */
function depthMajorShape(spec: ModelSpec, options: CreateOnnxRunnerOptions): DepthMajorShape | null {
  const { roiSize, sliceAxis, swBatchSize } = spec.inferer;
  if (options.depthMajor === false || options.rewrite === false || sliceAxis !== undefined || roiSize.some((v) => !(v > 0))) return null;
  const memory = options.totalMemory ?? Math.min(os.totalmem(), process.constrainedMemory?.() || Infinity);
  return { channels: spec.input.channels, spatial: roiSize, memoryBytes: memory / 8, windowsPerBatch: swBatchSize };
}

/** The leaders tail's output names in a session that has one. */
type LeadersTail = Exclude<LeadersTailResult, { reason: string }>;

interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly tail: LeadersTail | null;
  readonly provider: string;
  readonly skipped: SkippedProvider[];
  readonly graphRewrite: GraphRewrite;
}

/**
 * Tries each provider in order; the first whose session opens wins. The CPU
 * provider is built into every onnxruntime-node, so when it cannot open the
 * file the model is at fault, not the device; when a named accelerator fails,
 * the CPU is asked too, so a broken file is not blamed on the device.
 */
async function openSession(
  modelPath: string,
  device: InferenceDevice,
  options: CreateOnnxRunnerOptions,
  shape: DepthMajorShape | null,
  tailRequest: LeadersTailRequest | null,
): Promise<OpenedSession> {
  ort.env.logLevel = 'error';
  const built = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const skipped: SkippedProvider[] = [];
  for (const provider of providerOrder(device, options.platform ?? process.platform)) {
    let graphRewrite = noRewrite([], `the rewrite is for the CPU provider, not ${provider}`);
    if (provider === 'cpu') {
      const rewritten =
        options.rewrite === false
          ? noRewrite([], 'rewrite turned off')
          : await openRewritten(modelPath, options.rewrite ?? 'unified', options, shape, tailRequest);
      if ('session' in rewritten) return { ...rewritten, skipped };
      graphRewrite = rewritten;
    }
    const tried = await tryProvider(modelPath, provider, built, options.sessionOverrides);
    if (!('attempted' in tried)) return { session: tried, tail: null, provider, skipped, graphRewrite };
    if (provider === 'cpu') throw modelInvalid(modelPath, tried.reason);
    if (device !== 'auto') {
      const cpuReason = tried.attempted ? await cpuRefusal(modelPath) : null;
      if (cpuReason !== null) throw modelInvalid(modelPath, cpuReason);
      throw new AxialError('INFERENCE_PROVIDER_UNAVAILABLE', `the ${provider} execution provider cannot run here: ${tried.reason}`, { file: modelPath });
    }
    skipped.push({ provider, reason: tried.reason });
  }
  throw new AxialError('INFERENCE_PROVIDER_UNAVAILABLE', `no execution provider could open the model`, { file: modelPath });
}

function modelInvalid(modelPath: string, reason: string): AxialError {
  return new AxialError('MODEL_INVALID', `not a model onnxruntime can load: ${reason}`, { file: modelPath });
}

/**
 * The CPU session on the model with its ConvTransposes rewritten, or what the
 * rewrite did when there was nothing to rewrite or it failed (its reason
 * logged): then the file itself is opened, and judged by onnxruntime, as before.
 */
async function openRewritten(
  modelPath: string,
  mode: SubPixelMode,
  options: CreateOnnxRunnerOptions,
  shape: DepthMajorShape | null,
  tailRequest: LeadersTailRequest | null,
): Promise<Omit<OpenedSession, 'skipped'> | GraphRewrite> {
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  // Measured only here, where a tail can follow: on the CPU provider, for a model that may take one.
  const tailPays = options.leadersTail === 'always' || (options.leadersTail === 'auto' && (options.freshPageCost ?? measuredFreshPageCost()) > tailPaysAbove);
  const optimized: OptimizedModel = await optimizeOnnxModelInWorker(modelPath, mode, shape, tailPays ? tailRequest : null);
  const depthMajor = optimized.depthMajor !== null && 'convs' in optimized.depthMajor ? optimized.depthMajor.convs : 0;
  const depthMajorReason = optimized.depthMajor !== null && 'reason' in optimized.depthMajor ? optimized.depthMajor.reason : null;
  const { rewritten, skipped } = optimized.report;
  for (const s of skipped) warn(`${modelPath}: ConvTranspose ${s.node} left as it is: ${s.reason}`);
  if (optimized.reason !== null) warn(`${modelPath}: the graph rewrite left the model as it is: ${optimized.reason}`);
  const tail = optimized.leaders !== null && !('reason' in optimized.leaders) ? optimized.leaders : null;
  if (optimized.leaders !== null && 'reason' in optimized.leaders) warn(`${modelPath}: its whole output is read for each window: ${optimized.leaders.reason}`);
  if (optimized.bytes === null)
    return noRewrite(skipped, optimized.reason ?? (skipped.length > 0 ? 'no ConvTranspose qualified' : 'nothing to rewrite'), depthMajorReason);
  try {
    const session = await ort.InferenceSession.create(optimized.bytes, { ...sessionOptions('cpu'), ...options.sessionOverrides });
    const { leakyRelus, mergedConvs } = optimized;
    return {
      session,
      tail,
      provider: 'cpu',
      graphRewrite: { rewritten: rewritten.length, leakyRelus, mergedConvs, depthMajor, depthMajorReason, leadersTail: tail !== null, skipped, reason: null },
    };
  } catch (error) {
    if (depthMajor > 0) {
      // The general form then, with why not this one.
      const general = await openRewritten(modelPath, mode, options, null, tailRequest);
      const refused = `onnxruntime refused it: ${conciseReason(error)}`;
      warn(`${modelPath}: depth-major form ${refused}`);
      return 'session' in general
        ? { ...general, graphRewrite: { ...general.graphRewrite, depthMajorReason: refused } }
        : { ...general, depthMajorReason: refused };
    }
    const reason = `onnxruntime refused the rewritten model, running the original: ${conciseReason(error)}`;
    warn(`${modelPath}: ${reason}`);
    return noRewrite(skipped, reason, depthMajorReason);
  }
}

function noRewrite(skipped: GraphRewrite['skipped'], reason: string, depthMajorReason: string | null = null): GraphRewrite {
  return { rewritten: 0, leakyRelus: 0, mergedConvs: 0, depthMajor: 0, depthMajorReason, leadersTail: false, skipped, reason };
}

/** Why the CPU provider cannot open the model (then the file is at fault), or null when it can. Unoptimised and on one thread: only a verdict is wanted. */
async function cpuRefusal(modelPath: string): Promise<string | null> {
  try {
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'disabled',
      intraOpNumThreads: 1,
      logSeverityLevel: 3,
    });
    await session.release();
    return null;
  } catch (error) {
    return conciseReason(error);
  }
}

/** The open session, or why the provider could not open one and whether onnxruntime was asked at all. */
async function tryProvider(
  modelPath: string,
  provider: string,
  built: ReadonlyMap<string, boolean>,
  overrides: Partial<ort.InferenceSession.SessionOptions> = {},
): Promise<ort.InferenceSession | { reason: string; attempted: boolean }> {
  if (!built.has(provider)) {
    return { reason: `not built into onnxruntime-node for ${process.platform}/${process.arch}`, attempted: false };
  }
  if (built.get(provider) === false && !providerLibraryPresent(provider)) {
    return {
      reason:
        "its provider library is missing beside onnxruntime-node's binding " +
        '(its install script downloads it: npm install onnxruntime-node --onnxruntime-node-install=cuda12; CUDA 12 and cuDNN 9 must be installed too)',
      attempted: false,
    };
  }
  try {
    return await ort.InferenceSession.create(modelPath, { ...sessionOptions(provider), ...overrides });
  } catch (error) {
    return { reason: conciseReason(error), attempted: true };
  }
}

/**
 * Whether a provider that onnxruntime-node does not bundle (CUDA on Linux) has
 * its shared library beside the binding; checked first so that a missing one is
 * a clear reason rather than onnxruntime's load error on stderr.
 */
function providerLibraryPresent(provider: string): boolean {
  try {
    const packageRoot = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
    const folder = join(packageRoot, 'bin', 'napi-v6', process.platform, process.arch);
    const file = process.platform === 'win32' ? `onnxruntime_providers_${provider}.dll` : `libonnxruntime_providers_${provider}.so`;
    return existsSync(join(folder, file));
  } catch {
    return true;
  }
}

/**
 * Measured on the spleen UNet (2 cores, 8 patches per process, 5 alternating
 * pairs, others' work on the machine): spinning off 0.82× the CPU time and
 * 0.77× the wall time of spinning on; memory pattern off 140 MiB less peak
 * memory (265 against 405 MiB) at the same speed (0.96× CPU); arena off 1.05×
 * CPU and 40 MiB more, so it stays on; 'extended' instead of 'all' and
 * flushing denormals to zero changed nothing measurable, so neither is set.
 * On a quiet host, spinning on is faster for the network alone (0.91× per
 * batch of 4, 0.97× the whole 2-class run) but slower where the blending
 * thread needs the core (1.03× the 105-class run, two alternating pairs), so
 * it stays off.
 */
function sessionOptions(provider: string): ort.InferenceSession.SessionOptions {
  const cpu: ort.InferenceSession.SessionOptions =
    provider === 'cpu' ? { enableMemPattern: false, enableCpuMemArena: true, extra: { session: { intra_op: { allow_spinning: '0' } } } } : {};
  return {
    executionProviders: [provider],
    // Patches run one after another, so all cores go to each operator.
    intraOpNumThreads: os.availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // A thread that spins waiting for work takes a core from the sliding window and from other programs on a shared machine.
    ...cpu,
  };
}

/** onnxruntime's message without its source paths and assertion text. */
export function conciseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^[\s\S]*\bwas false\.\s*/, '')
    .replace(/^Load model from .* failed:\s*/, '')
    .replace(/\/onnxruntime_src\/\S+:\d+\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

const outOfMemory = /out of memory|bad_alloc|bad allocation|failed to allocate|cudaErrorMemoryAllocation|E_OUTOFMEMORY/i;

function runError(error: unknown, provider: string, modelPath: string): AxialError {
  const reason = conciseReason(error);
  if (outOfMemory.test(reason)) {
    return new AxialError('INFERENCE_OUT_OF_MEMORY', `the model ran out of memory on ${provider}: ${reason}`, { file: modelPath, cause: error });
  }
  return new AxialError('INFERENCE_FAILED', `the model failed on ${provider}: ${reason}`, { file: modelPath, cause: error });
}
