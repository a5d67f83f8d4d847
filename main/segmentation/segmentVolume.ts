import { performance } from 'node:perf_hooks';
import { AxialError } from '../errors/AxialError.js';
import type { Volume } from '../volume/Volume.js';
import { labelVolume } from './labelVolume.js';
import { createInverter, type Inverter, type InverterOptions } from './inference/createInverter.js';
import { HalfSumsOverflow } from './inference/HalfSumsOverflow.js';
import { LeadersOverflow } from './inference/LeadersOverflow.js';
import { slidingWindowInference, type RunBatch } from './inference/slidingWindowInference.js';
import type { ModelSpec, PostprocessingStep } from './ModelSpec.js';
import { keepLargestConnectedComponent } from './pipeline/keepLargestConnectedComponent.js';
import { fromOriented } from './pipeline/orientationMapping.js';
import { preprocessVolume, type SpatialInverse } from './pipeline/preprocessVolume.js';
import { transposeToKFastest } from './inference/transposeToKFastest.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { segmentColours, type Segment } from './segmentColours.js';

/** From this many classes, 'auto' keeps only each voxel's leading classes (below it dense float32 sums are small). */
const leadersFromClasses = 16;

export interface SegmentVolumeParams {
  readonly volume: Volume;
  readonly spec: ModelSpec;
  readonly runBatch: RunBatch;
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
}

export interface SegmentationResult {
  /** uint8 (uint16 past 256 channels) labels on the source volume's own grid. */
  readonly labels: Volume;
  readonly segments: Segment[];
  /** Seconds spent per stage; `network` is the time inside runBatch. */
  readonly seconds: { preprocess: number; inference: number; network: number; postprocess: number; total: number };
}

/**
 * Runs a model's whole pipeline on a volume, as MONAI would: preprocessing,
 * the sliding window, activation, Invertd back to the source grid, the
 * discrete step and connected-component cleaning.
 * @throws AxialError MODEL_UNSUPPORTED when the spec lists unsupported items or needs several input channels; the pipeline's and network's own errors.
 */
export async function segmentVolume(params: SegmentVolumeParams): Promise<SegmentationResult> {
  const { volume, spec } = params;
  const precision = params.precision ?? 'auto';
  assertRunnable(spec);
  const started = performance.now();
  const { dimensions, data, inverse } = networkImage(volume, spec);
  const preprocessed = performance.now();
  const post = spec.postprocessing;
  const activation = post.find((s) => s.kind === 'Activationsd');
  const invert = post.find((s): s is Extract<PostprocessingStep, { kind: 'Invertd' }> => s.kind === 'Invertd');
  const discrete = post.find((s): s is Extract<PostprocessingStep, { kind: 'AsDiscreted' }> => s.kind === 'AsDiscreted');
  const activationKind = activation?.kind === 'Activationsd' ? (activation.softmax ? 'softmax' : activation.sigmoid ? 'sigmoid' : 'none') : 'none';
  const inverterOptions: InverterOptions = {
    channels: spec.output.channels,
    interpolation: !invert || invert.nearestInterp || inverse.mode === 'nearest' ? 'nearest' : 'linear',
    discrete: discrete && !discrete.argmax && discrete.threshold !== null ? { kind: 'threshold', value: discrete.threshold } : { kind: 'argmax' },
    winners: precision === 'reference' ? 'all' : 'candidates',
  };
  let networkSeconds = 0;
  const timedRun: RunBatch = async (input, count, roi) => {
    const t = performance.now();
    try {
      return await params.runBatch(input, count, roi);
    } finally {
      networkSeconds += (performance.now() - t) / 1000;
    }
  };
  const infer = async (sums: 'auto' | 'float16' | 'float32' | 'leaders'): Promise<Inverter> => {
    const inverter = createInverter(inverse, inverterOptions);
    await slidingWindowInference({
      dimensions,
      data,
      layout: 'k-fastest',
      spec: spec.inferer,
      channels: spec.output.channels,
      runBatch: timedRun,
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
  const softmaxArgmax = activationKind === 'softmax' && inverterOptions.discrete.kind === 'argmax';
  const leaders = softmaxArgmax && (precision === 'leaders' || (precision === 'auto' && spec.output.channels >= leadersFromClasses));
  const dense = precision === 'reference' ? 'float32' : precision === 'leaders' ? 'auto' : precision;
  // Logits in the thousands overflow half-precision sums (sigmoid outputs; softmax sums hold gaps, held in range):
  // rare, and then the run is repeated with float32 sums. A leaders store that cannot decide a voxel (too many
  // classes near the best, as a network with close logits gives at its first window) is repeated with dense sums.
  // Progress then starts again, and `seconds.network` counts every run.
  const denseRun = (): Promise<Inverter> =>
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
  const oriented = inverter.finish();
  const voxels = inverse.orientation ? fromOriented(inverse.orientation, oriented, oriented.slice()) : oriented;
  for (const step of post) {
    if (step.kind === 'KeepLargestConnectedComponentd') keepLargestConnectedComponent({ ...step, labels: voxels, dimensions: volume.dimensions });
  }
  const labels = labelVolume(volume, voxels, spec.name);
  const finished = performance.now();
  return {
    labels,
    segments: segmentColours(spec.output.labels),
    seconds: {
      preprocess: (preprocessed - started) / 1000,
      inference: (inferred - preprocessed) / 1000,
      network: networkSeconds,
      postprocess: (finished - inferred) / 1000,
      total: (finished - started) / 1000,
    },
  };
}

/** The preprocessed image in the network's order; the i-fastest copy it came from is left to the collector before the windows' sums are allocated. */
function networkImage(volume: Volume, spec: ModelSpec): { dimensions: Vec3; data: Float32Array; inverse: SpatialInverse } {
  const { image, inverse } = preprocessVolume(volume, spec.preprocessing, spec.modelPath);
  return { dimensions: image.dimensions, data: transposeToKFastest(image.data, image.dimensions), inverse };
}

function assertRunnable(spec: ModelSpec): void {
  if (spec.unsupported.length > 0) {
    const list = spec.unsupported.map((u) => `${u.name} at ${u.path}: ${u.reason}`).join('; ');
    throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} needs what Axial does not run: ${list}`, { file: spec.modelPath });
  }
  if (spec.input.channels !== 1) {
    throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} takes ${spec.input.channels} input channels; Axial runs single-image models`, {
      file: spec.modelPath,
    });
  }
}
