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

/** A further input image of a model of several channels, read by the process (the CLI). */
export interface ChannelPathInput {
  /** The channel's name, as the model's channel_def gives it (e.g. "T1"). */
  readonly name: string;
  readonly inputPath: string;
}

/** A further input image of a model of several channels, already in memory (the app). */
export interface ChannelVolumeInput {
  readonly name: string;
  readonly volume: PlainVolume;
  /** Where it came from (a series description, a file), named in warnings and errors. */
  readonly source?: string;
}

/** Segment a file or folder the process reads itself (the CLI). */
export interface SegmentPathRequest extends SegmentRequestBase {
  /** The input, or a multi-channel model's first channel (whose grid the labels are on). */
  readonly inputPath: string;
  /** The first channel's name (default: the model's first channel_def name). */
  readonly channelName?: string;
  /** A multi-channel model's other channels, in the model's order after the first. */
  readonly moreChannels?: readonly ChannelPathInput[];
  /** 1-based series number when the input holds several (as `axial info` lists them). */
  readonly seriesIndex?: number;
  /** Philips MR values: precise (the default) or display. */
  readonly philipsScaling?: PhilipsScaling;
  /** Threads that decode compressed DICOM frames (default one per core). */
  readonly threads?: number;
}

/** Segment a volume already in memory (the app). */
export interface SegmentVolumeRequest extends SegmentRequestBase {
  /** The volume, or a multi-channel model's first channel (whose grid the labels are on). */
  readonly volume: PlainVolume;
  /** The first channel's name (default: the model's first channel_def name). */
  readonly channelName?: string;
  /** A multi-channel model's other channels, in the model's order after the first. */
  readonly moreChannels?: readonly ChannelVolumeInput[];
}

export type SegmentRequest = SegmentPathRequest | SegmentVolumeRequest;

/** Read a model's name and input channels, without opening its network (the app asks before a run, to choose a series per channel). */
export interface DescribeRequest {
  readonly type: 'describe';
  readonly modelPath: string;
}

/** Parent → inference process. The process keeps its session between requests for the same model and device. */
export type ParentMessage = SegmentRequest | DescribeRequest | { readonly type: 'shutdown' };

/** The answer to a DescribeRequest. */
export interface DescriptionMessage {
  readonly type: 'description';
  readonly name: string;
  /** The input channels' names in the model's order (its channel_def); empty for a model of one image. */
  readonly channels: readonly string[];
}

export interface ProgressMessage {
  readonly type: 'progress';
  /** Patches done and in all. */
  readonly done: number;
  readonly total: number;
  /** Seconds since the request arrived. */
  readonly elapsedSeconds: number;
  /**
   * Estimated seconds left, from the rate of the patches after the first batch; null until there is one (the first
   * batch also pays the session's first-run cost: a 20 s run's first estimate said 3 min).
   */
  readonly etaSeconds: number | null;
}

/** Seconds per stage: reading the input, opening the model, then segmentVolume's stages. */
export type StageSeconds = SegmentationResult['seconds'] & { readonly loadInput: number; readonly loadModel: number };

export interface ResultMessage {
  readonly type: 'result';
  /** Labels on the source volume's grid (same dimensions, spacing, origin, direction). */
  readonly labels: PlainVolume;
  readonly segments: Segment[];
  /** Sigmoid multi-label models: one 0/1 layer per output channel, on the same grid; layers may overlap (see SegmentationResult). */
  readonly layers?: readonly ResultLayer[];
  readonly seconds: StageSeconds;
  readonly provider: string;
  readonly skippedProviders: readonly SkippedProvider[];
  /** The files the input was read from (empty for an in-memory volume): an output must not overwrite them. */
  readonly inputFiles: readonly string[];
  readonly warnings: readonly string[];
}

/** One overlapping layer of a multi-label result. */
export interface ResultLayer {
  readonly name: string;
  readonly labels: PlainVolume;
  readonly segments: Segment[];
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: AxialErrorCode;
  readonly message: string;
  /** The model could not be read or opened: the request failed on the model, not on its input (ModelFailedError). */
  readonly model?: true;
}

/** Inference process → parent. `ready` comes once, when the process listens. */
export type ChildMessage = { readonly type: 'ready' } | ProgressMessage | ResultMessage | DescriptionMessage | ErrorMessage;

/** A result as the parent hands it on (without the message tag). */
export type InferenceResult = Omit<ResultMessage, 'type'>;
