import { performance } from 'node:perf_hooks';
import { assertModelRunnable } from './bundle/assertModelRunnable.js';
import { AxialError } from '../errors/AxialError.js';
import { releaseOwnBuffer } from '../io/releaseOwnBuffer.js';
import type { Volume } from '../volume/Volume.js';
import { labelVolume } from './labelVolume.js';
import { createInverter, type Inverter, type InverterOptions } from './inference/createInverter.js';
import { invertLabels } from './inference/invertLabels.js';
import { HalfSumsOverflow } from './inference/HalfSumsOverflow.js';
import { LeadersOverflow } from './inference/LeadersOverflow.js';
import { slidingWindowInference, type RunBatch } from './inference/slidingWindowInference.js';
import type { OverlappingOnnxRunner } from './onnx/createOnnxRunnerInWorker.js';
import type { ModelSpec, PostprocessingStep } from './ModelSpec.js';
import { keepLargestConnectedComponent } from './pipeline/keepLargestConnectedComponent.js';
import { fromOriented } from './pipeline/orientationMapping.js';
import { preprocessVolume, type SpatialInverse } from './pipeline/preprocessVolume.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { segmentColours, type Segment } from './segmentColours.js';
import { alignChannels, type ChannelImage } from './channels/alignChannels.js';
import { channelWindows } from './channels/channelWindows.js';
import { createMaskInverter, type MaskInverter } from './channels/createMaskInverter.js';
import { keepLargestInMasks } from './channels/keepLargestInMasks.js';
import { mergeChannels } from './pipeline/mergeChannels.js';
import { usesLeaderStore } from './usesLeaderStore.js';
import { mergedLabelNames } from './pipeline/mergedLabelNames.js';
import { labelColour } from '../../core/labels/labelColour.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

export interface SegmentVolumeParams {
  readonly volume: Volume;
  /**
   * For a caller done with the volume's voxels (the inference process): their buffer is let go of (detached) once the
   * network's image is made from them, where it is all their own and 1 MiB or more (see releaseOwnBuffer); the
   * volume's geometry stays.
   * 262 MB less held through the sliding window of a 512×512×500 CT.
   */
  readonly releaseVoxels?: boolean;
  readonly spec: ModelSpec;
  readonly runBatch: RunBatch;
  /**
   * The runner, when runBatch is an overlapping one's (createOnnxRunnerInWorker): the batches after each then run while
   * it is blended, and `seconds.network` is the worker's own time in the network. Its outputs (three at most) are let
   * go of once the last window is blended, before the last planes are finished. With the leaders store, its `leaders`
   * sweep makes each window's lists on a thread of its own, and no output comes to this thread.
   */
  readonly overlapping?: Pick<OverlappingOnnxRunner, 'networkSeconds' | 'trim' | 'ahead' | 'leaders' | 'skipQueued'>;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /**
   * 'auto' (the default): a softmax-then-argmax model of many classes (16 or more) keeps only each
   * voxel's leading classes ('leaders', see leaderSums), falling back to the dense sums where that store
   * cannot decide; dense sums are kept in half precision once float32 sums would pass 1 GiB; only the
   * classes that can win are interpolated (the same labels, proven per voxel).
   * 'leaders' / 'float16' / 'float32': that store always (leaders only for softmax then argmax, with the
   * same fallback), winners as 'auto'. 'reference': the plain computation (float32 sums, every class
   * interpolated at every voxel), for checking the others.
   */
  readonly precision?: 'auto' | 'leaders' | 'float16' | 'float32' | 'reference';
  /**
   * A model of several input channels (spec.input.channels > 1; a MONAI bundle's channel_def names them): every
   * channel's image in the model's order, the first being `volume`, whose grid the others are put on
   * (alignChannels: resampled trilinearly where their grid differs, refused for another patient or no overlap).
   */
  readonly channels?: readonly ChannelImage[];
}

/** One output channel of a sigmoid multi-label model: where it is on (1), on the source grid; layers may overlap. */
export interface LabelLayer {
  /** The output channel's name (the bundle's output channel_def), e.g. "Whole tumor". */
  readonly name: string;
  /** uint8 0/1 on the source volume's own grid. */
  readonly labels: Volume;
  /** One segment, value 1, coloured as the channel's label (its index + 1) would be. */
  readonly segments: Segment[];
}

export interface SegmentationResult {
  /**
   * uint8 (uint16 past 256 channels or labels) labels on the source volume's own grid. For a sigmoid multi-label
   * model: its Lambdad's merged labels when it has one, otherwise each voxel's last channel that is on (channel
   * c is label c + 1), a flattening that hides overlaps: `layers` has them all.
   */
  readonly labels: Volume;
  readonly segments: Segment[];
  /** Sigmoid outputs of two or more channels thresholded by AsDiscreted: one overlapping layer per channel. */
  readonly layers?: readonly LabelLayer[];
  /** Non-fatal findings, such as an input channel resampled onto the first channel's grid. */
  readonly warnings: readonly string[];
  /** Seconds spent per stage; `network` is the time inside runBatch (with an overlapping runner, its worker's time in the network). */
  readonly seconds: { preprocess: number; inference: number; network: number; postprocess: number; total: number };
}

/**
 * Runs a model's whole pipeline on a volume, as MONAI would: preprocessing,
 * the sliding window, activation, Invertd back to the source grid, the
 * discrete step and connected-component cleaning, on the network grid where the bundle cleans before Invertd.
 * With several input channels (`channels`), each is put on the first one's grid and preprocessed as MONAI
 * preprocesses a [C, i, j, k] image. Sigmoid outputs thresholded by AsDiscreted give overlapping `layers`, merged
 * into the label map by the bundle's Lambdad (torch.where) when it has one.
 * @throws AxialError MODEL_UNSUPPORTED when the spec lists unsupported items or `channels` does not give one image per
 *   input channel; SEGMENTATION_GRID_MISMATCH from alignChannels; the pipeline's and network's own errors.
 */
export async function segmentVolume(params: SegmentVolumeParams): Promise<SegmentationResult> {
  const { volume, spec } = params;
  const precision = params.precision ?? 'auto';
  assertRunnable(spec, params.channels?.length ?? 1);
  const started = performance.now();
  const aligned = params.channels && params.channels.length > 1 ? alignChannels(params.channels) : { others: [], warnings: [] };
  const { dimensions, data, inverse, runBatch, cval, warnings } = networkImage(volume, spec, aligned.others, params.runBatch);
  if (params.releaseVoxels && volume.voxels.byteLength >= 2 ** 20) releaseOwnBuffer(volume.voxels);
  const preprocessed = performance.now();
  const post = spec.postprocessing;
  const activation = post.find((s) => s.kind === 'Activationsd');
  const invert = post.find((s): s is Extract<PostprocessingStep, { kind: 'Invertd' }> => s.kind === 'Invertd');
  const discrete = post.find((s): s is Extract<PostprocessingStep, { kind: 'AsDiscreted' }> => s.kind === 'AsDiscreted');
  const lambda = post.find((s): s is Extract<PostprocessingStep, { kind: 'Lambdad' }> => s.kind === 'Lambdad');
  const activationKind = activation?.kind === 'Activationsd' ? (activation.softmax ? 'softmax' : activation.sigmoid ? 'sigmoid' : 'none') : 'none';
  const discreteKind =
    discrete && !discrete.argmax && discrete.threshold !== null ? { kind: 'threshold' as const, value: discrete.threshold } : { kind: 'argmax' as const };
  const multiLabel = activationKind === 'sigmoid' && discreteKind.kind === 'threshold' && (spec.output.channels > 1 || lambda !== undefined);
  // KeepLargestConnectedComponentd after AsDiscreted and before Invertd (or with none) cleans MONAI's labels on the network
  // grid (prostate_mri_anatomy's order): the labels are made there, cleaned, then taken back by nearest neighbour.
  const discreteAt = discrete ? post.indexOf(discrete) : -1;
  const invertAt = invert ? post.indexOf(invert) : post.length;
  const onNetworkGrid = (i: number): boolean => !multiLabel && discreteAt >= 0 && discreteAt < i && i < invertAt;
  const networkCleaning = post.some((s, i) => s.kind === 'KeepLargestConnectedComponentd' && onNetworkGrid(i));
  const grid = inverse.networkDimensions;
  // The inverter then stops at the network grid: every voxel its own sample.
  const target = networkCleaning
    ? { ...inverse, orientedDimensions: grid, spacedDimensions: grid, scale: [1, 1, 1] as Vec3, offset: [0, 0, 0] as Vec3 }
    : inverse;
  const inverterOptions: InverterOptions = {
    channels: spec.output.channels,
    interpolation: networkCleaning || !invert || invert.nearestInterp || inverse.mode === 'nearest' ? 'nearest' : 'linear',
    discrete: discreteKind,
    winners: precision === 'reference' ? 'all' : 'candidates',
  };
  // An overlapping runner's calls last until the caller reads them, which is after its own work: its worker times them.
  const { overlapping } = params;
  const networkBefore = overlapping?.networkSeconds() ?? 0;
  let networkSeconds = 0;
  const timedRun: RunBatch = async (input, count, roi) => {
    const t = performance.now();
    try {
      return await runBatch(input, count, roi);
    } finally {
      networkSeconds += (performance.now() - t) / 1000;
    }
  };
  const infer = async (sums: 'auto' | 'float16' | 'float32' | 'leaders'): Promise<Inverter | MaskInverter> => {
    const inverter =
      multiLabel && inverterOptions.discrete.kind === 'threshold'
        ? createMaskInverter(target, spec.output.channels, { interpolation: inverterOptions.interpolation, threshold: inverterOptions.discrete.value })
        : createInverter(target, inverterOptions);
    await slidingWindowInference({
      dimensions,
      data,
      layout: 'k-fastest',
      spec: { ...spec.inferer, cval },
      channels: spec.output.channels,
      runBatch: overlapping ? runBatch : timedRun,
      overlapping,
      sums,
      shiftInvariant: activationKind === 'softmax' || (activationKind === 'none' && inverterOptions.discrete.kind === 'argmax'),
      activation: activationKind,
      onPlane: (k, plane) => inverter.onPlane(k, plane),
      onLeaders: (k, plane) => inverter.onLeaders(k, plane),
      onProgress: params.onProgress,
      signal: params.signal,
      modelPath: spec.modelPath,
    });
    return inverter;
  };
  const leaders = usesLeaderStore(spec, precision);
  const dense = precision === 'reference' ? 'float32' : precision === 'leaders' ? 'auto' : precision;
  // Logits in the thousands overflow half-precision sums (sigmoid outputs; softmax sums hold gaps, held in range):
  // rare, and then the run is repeated with float32 sums. A leaders store that cannot decide a voxel (too many
  // classes near the best, as a network with close logits gives at its first window) is repeated with dense sums.
  // Progress then starts again, and `seconds.network` counts every run.
  const denseRun = (): Promise<Inverter | MaskInverter> =>
    infer(dense).catch((error: unknown) => {
      if (error instanceof HalfSumsOverflow && dense !== 'float32') return infer('float32');
      throw error;
    });
  const inverter = leaders
    ? await infer('leaders').catch((error: unknown) => {
        if (error instanceof LeadersOverflow) return denseRun();
        throw error;
      })
    : await denseRun();
  const inferred = performance.now();
  const toSource = (oriented: LabelArray): LabelArray => {
    if (!inverse.orientation) return oriented;
    return fromOriented(inverse.orientation, oriented, oriented instanceof Uint16Array ? new Uint16Array(oriented.length) : new Uint8Array(oriented.length));
  };
  const labelsToSource = (labels: LabelArray): LabelArray => {
    if (!networkCleaning) return toSource(labels);
    post.forEach((step, i) => {
      if (step.kind === 'KeepLargestConnectedComponentd' && onNetworkGrid(i)) keepLargestConnectedComponent({ ...step, labels, dimensions: grid });
    });
    return toSource(invertLabels(inverse, labels));
  };
  const finished = inverter.finish();
  // Connected-component cleaning before a Lambdad (or with none) acts on the channels, as MONAI's on a one-hot
  // prediction; after it, on the merged labels.
  const lambdaAt = post.findIndex((s) => s.kind === 'Lambdad');
  const onChannels = (i: number): boolean => Array.isArray(finished) && (lambdaAt < 0 || i < lambdaAt);
  const masks = Array.isArray(finished) ? (finished.map(toSource) as Uint8Array[]) : [];
  post.forEach((step, i) => {
    if (step.kind === 'KeepLargestConnectedComponentd' && onChannels(i)) keepLargestInMasks(masks, volume.dimensions, step);
  });
  const output: { voxels: LabelArray; segments: Segment[]; layers?: LabelLayer[] } = Array.isArray(finished)
    ? multiLabelOutput(volume, spec, masks, lambda)
    : { voxels: labelsToSource(finished), segments: segmentColours(spec.output.labels) };
  post.forEach((step, i) => {
    if (step.kind === 'KeepLargestConnectedComponentd' && !onChannels(i) && !onNetworkGrid(i)) {
      keepLargestConnectedComponent({ ...step, labels: output.voxels, dimensions: volume.dimensions });
    }
  });
  const labels = labelVolume(volume, output.voxels, spec.name);
  const done = performance.now();
  return {
    labels,
    segments: output.segments,
    ...(output.layers ? { layers: output.layers } : {}),
    warnings: [...aligned.warnings, ...warnings],
    seconds: {
      preprocess: (preprocessed - started) / 1000,
      inference: (inferred - preprocessed) / 1000,
      network: overlapping ? overlapping.networkSeconds() - networkBefore : networkSeconds,
      postprocess: (done - inferred) / 1000,
      total: (done - started) / 1000,
    },
  };
}

interface NetworkImage {
  readonly dimensions: Vec3;
  readonly data: Float32Array;
  readonly inverse: SpatialInverse;
  /** The network, behind a gatherer of every channel's patch when there are several (see channelWindows). */
  readonly runBatch: RunBatch;
  /** The window's constant padding value: the inferer's, or 0 when it slides over voxel numbers. */
  readonly cval: number;
  readonly warnings: readonly string[];
}

/**
 * The preprocessed image in the network's order (k fastest: preprocessVolume writes it so). With several channels, the
 * window slides over voxel numbers that fetch every channel.
 */
function networkImage(volume: Volume, spec: ModelSpec, others: readonly Float32Array[], runBatch: RunBatch): NetworkImage {
  const { image, channels, inverse, warnings } = preprocessVolume(volume, spec.preprocessing, spec.modelPath, others, 'k-fastest');
  if (channels.length === 1) return { dimensions: image.dimensions, data: image.data, inverse, runBatch, cval: spec.inferer.cval, warnings };
  const windows = channelWindows(channels, spec.inferer.cval, runBatch);
  return { dimensions: image.dimensions, data: windows.data, inverse, runBatch: windows.runBatch, cval: 0, warnings };
}

/** The channels' masks as layers, and the label map: the Lambdad's merge, or each voxel's last channel that is on. */
function multiLabelOutput(
  volume: Volume,
  spec: ModelSpec,
  masks: readonly LabelArray[],
  lambda: Extract<PostprocessingStep, { kind: 'Lambdad' }> | undefined,
): { voxels: LabelArray; segments: Segment[]; layers: LabelLayer[] } {
  const names = masks.map((_, c) => spec.output.labels.find((l) => l.value === c)?.name ?? `channel ${c}`);
  const layers = masks.map((mask, c) => ({
    name: names[c]!,
    labels: labelVolume(volume, mask, `${spec.name} ${names[c]!}`),
    segments: [{ value: 1, name: names[c]!, colour: labelColour(c + 1) }],
  }));
  const channelLabels = names.map((name, c) => ({ value: c, name }));
  if (lambda) {
    return {
      voxels: mergeChannels(lambda.expression, masks as Uint8Array[]),
      // A merged label wears its deciding channel's layer colour, so a region looks the same in either view.
      segments: mergedLabelNames(lambda.expression, channelLabels).map(({ value, name, channel }) => ({
        value,
        name,
        colour: labelColour(channel === undefined ? value : channel + 1),
      })),
      layers,
    };
  }
  const voxels = masks.length > 255 ? new Uint16Array(masks[0]!.length) : new Uint8Array(masks[0]!.length);
  masks.forEach((mask, c) => {
    for (let n = 0; n < mask.length; n++) if (mask[n]) voxels[n] = c + 1;
  });
  return { voxels, segments: segmentColours(names.map((name, c) => ({ value: c + 1, name }))), layers };
}

function assertRunnable(spec: ModelSpec, given: number): void {
  // The inference process refuses such a model when it loads it; a direct caller is refused here.
  assertModelRunnable(spec);
  if (spec.input.channels !== given) {
    const names = spec.input.channelNames ? ` (${spec.input.channelNames.join(', ')})` : '';
    throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} takes ${spec.input.channels} input images${names}; ${given} given`, {
      file: spec.modelPath,
    });
  }
}
