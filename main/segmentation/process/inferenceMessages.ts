import type { PhilipsScaling } from '../../dicom/philips/applyPhilipsScaling.js';
import type { AxialErrorCode } from '../../errors/AxialError.js';
import type { VolumeProps } from '../../volume/Volume.js';
import type { ClickPoint } from '../interactive/ClickPoint.js';
import type { InferenceDevice, SkippedProvider } from '../onnx/createOnnxRunner.js';
import type { Segment } from '../segmentColours.js';
import type { SegmentationResult } from '../segmentVolume.js';

/**
 * The messages between a caller and the inference process. They travel by
 * structured clone (fork with `serialization: 'advanced'`, or Electron's
 * utilityProcess), so typed arrays arrive as typed arrays. A volume travels as
 * its plain props; the receiver rebuilds it with createVolume.
 */

/** A volume's fields as they cross the process boundary. */
export type PlainVolume = VolumeProps;

interface SegmentRequestBase {
  readonly type: 'segment';
  /** A bundle folder or an `.onnx` with its `.axial.json` sidecar. */
  readonly modelPath: string;
  readonly device: InferenceDevice;
  /** Clicks for an interactive (DeepEdit) model, which runs through segmentWithClicks (without clicks: its automatic mode). */
  readonly points?: readonly ClickPoint[];
  /** With `points`: the whole scan (default) or a box around the clicks. */
  readonly roi?: 'scan' | 'clicks';
}

/** Segment a file or folder the process reads itself (the CLI). */
export interface SegmentPathRequest extends SegmentRequestBase {
  readonly inputPath: string;
  /** 1-based series number when the input holds several (as `axial info` lists them). */
  readonly seriesIndex?: number;
  /** Philips MR values: precise (the default) or display. */
  readonly philipsScaling?: PhilipsScaling;
  /** Threads that decode compressed DICOM frames (default one per core). */
  readonly threads?: number;
}

/** Segment a volume already in memory (the app). */
export interface SegmentVolumeRequest extends SegmentRequestBase {
  readonly volume: PlainVolume;
}

export type SegmentRequest = SegmentPathRequest | SegmentVolumeRequest;

/** Parent → inference process. The process keeps its session between requests for the same model and device. */
export type ParentMessage = SegmentRequest | { readonly type: 'shutdown' };

export interface ProgressMessage {
  readonly type: 'progress';
  /** Patches done and in all. */
  readonly done: number;
  readonly total: number;
  /** Seconds since the request arrived. */
  readonly elapsedSeconds: number;
  /** Estimated seconds left, from the rate of the patches so far. */
  readonly etaSeconds: number;
}

/** Seconds per stage: reading the input, opening the model, then segmentVolume's stages. */
export type StageSeconds = SegmentationResult['seconds'] & { readonly loadInput: number; readonly loadModel: number };

export interface ResultMessage {
  readonly type: 'result';
  /** Labels on the source volume's grid (same dimensions, spacing, origin, direction). */
  readonly labels: PlainVolume;
  readonly segments: Segment[];
  readonly seconds: StageSeconds;
  readonly provider: string;
  readonly skippedProviders: readonly SkippedProvider[];
  /** The files the input was read from (empty for an in-memory volume): an output must not overwrite them. */
  readonly inputFiles: readonly string[];
  readonly warnings: readonly string[];
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: AxialErrorCode;
  readonly message: string;
}

/** Inference process → parent. `ready` comes once, when the process listens. */
export type ChildMessage = { readonly type: 'ready' } | ProgressMessage | ResultMessage | ErrorMessage;

/** A result as the parent hands it on (without the message tag). */
export type InferenceResult = Omit<ResultMessage, 'type'>;
