import type { PadMode } from './pipeline/padModes.js';
/**
 * What Axial needs to know to run a segmentation model, derived from a MONAI
 * bundle (metadata.json + inference.json/yaml) or from an `.axial.json`
 * sidecar beside a bare `.onnx`. Field names follow MONAI's transform
 * arguments, in camelCase; defaults are MONAI's where the source leaves a key out.
 */
export interface ModelSpec {
  readonly name: string;
  readonly source: 'bundle' | 'sidecar';
  /** Absolute path of the ONNX file. */
  readonly modelPath: string;
  readonly description?: string;
  readonly input: {
    /** Network input channels (metadata's num_channels). */
    readonly channels: number;
    /** The input's spatial shape as metadata.json (or the sidecar) declares it, when it gives three numbers. */
    readonly spatialShape?: readonly [number, number, number];
    /**
     * One name per input channel, in channel order, from the input's channel_def (brats: T1c, T1, T2, FLAIR);
     * absent when the source names none. A multi-channel model takes one series per channel.
     */
    readonly channelNames?: readonly string[];
  };
  readonly output: {
    readonly channels: number;
    /** Label value → name, from the output's channel_def (value 0 included when named). */
    readonly labels: readonly SegmentLabel[];
  };
  readonly preprocessing: readonly PreprocessingStep[];
  readonly inferer: SlidingWindowSpec;
  readonly postprocessing: readonly PostprocessingStep[];
  /** Present for a click-driven (MONAI DeepEdit) model: how clicks become guidance channels beside the image. */
  readonly interactive?: InteractiveSpec;
  /** Transforms or settings in the source that Axial does not run; a non-empty list stops a run before it starts. */
  readonly unsupported: readonly UnsupportedItem[];
  /** Transforms that are no-ops for Axial (LoadImaged, EnsureChannelFirstd, EnsureTyped, CastToTyped, SaveImaged...). */
  readonly ignored: readonly string[];
  /** Non-fatal findings, e.g. metadata.json and inference.json disagreeing (inference.json wins). */
  readonly warnings: readonly string[];
}

/**
 * What a MONAI DeepEdit bundle's click transforms say (AddGuidanceFromPointsDeepEditd, Resized,
 * ResizeGuidanceMultipleLabelDeepEditd, AddGuidanceSignalDeepEditd or DiscardAddGuidanced): the network
 * input is the image channel(s), then one guidance channel per label name, in `labelNames` order.
 */
export interface InteractiveSpec {
  /** The bundle's label_names keys in their order (e.g. ["spleen", "background"]): one guidance channel each. */
  readonly labelNames: readonly string[];
  /** The name background clicks go to (the label_names key whose value is 0), or null when there is none. */
  readonly backgroundName: string | null;
  /** number_intensity_ch: image channels before the guidance channels (MONAI's default 1). */
  readonly intensityChannels: number;
  /** AddGuidanceSignalDeepEditd's sigma in network voxels (MONAI's default 3); GaussianFilter erf, truncated 4. */
  readonly sigma: number;
  /** Resized's spatial_size (mode "area"), or null when the image keeps its preprocessed size. */
  readonly spatialSize: readonly [number, number, number] | null;
  /** True when the bundle runs DiscardAddGuidanced instead of taking clicks: every guidance channel is zero. */
  readonly discardGuidance: boolean;
}

export interface SegmentLabel {
  readonly value: number;
  readonly name: string;
}

export interface UnsupportedItem {
  /** Where it is in the config, e.g. `preprocessing.transforms[4]`. */
  readonly path: string;
  /** The `_target_` or key. */
  readonly name: string;
  readonly reason: string;
}

export type InterpolationMode = 'bilinear' | 'nearest';

export type PreprocessingStep =
  | { readonly kind: 'Orientationd'; readonly axcodes: string }
  | { readonly kind: 'Spacingd'; readonly pixdim: readonly [number, number, number]; readonly mode: InterpolationMode }
  | {
      readonly kind: 'ScaleIntensityRanged';
      readonly aMin: number;
      readonly aMax: number;
      readonly bMin: number | null;
      readonly bMax: number | null;
      readonly clip: boolean;
    }
  | {
      readonly kind: 'ScaleIntensityRangePercentilesd';
      readonly lower: number;
      readonly upper: number;
      readonly bMin: number | null;
      readonly bMax: number | null;
      readonly clip: boolean;
      readonly relative: boolean;
      /** MONAI's channel_wise: each input channel's own percentiles (present only when true). */
      readonly channelWise?: true;
    }
  | {
      readonly kind: 'ScaleIntensityd';
      readonly minv: number | null;
      readonly maxv: number | null;
      readonly factor: number | null;
      /** MONAI's channel_wise: each input channel's own minimum and maximum (present only when true). */
      readonly channelWise?: true;
    }
  | {
      readonly kind: 'NormalizeIntensityd';
      readonly nonzero: boolean;
      readonly channelWise: boolean;
      readonly subtrahend: number | null;
      readonly divisor: number | null;
    }
  | {
      /** Centre crop and/or symmetric pad (MONAI's ResizeWithPadOrCropd; pads with `padValue`, MONAI's default 0). */
      readonly kind: 'ResizeWithPadOrCropd';
      readonly spatialSize: readonly [number, number, number];
      readonly padValue: number;
      /** numpy.pad's mode for the pad (MONAI's `mode`, torch names mapped); `padValue` is used by constant only. */
      readonly padMode: PadMode;
    }
  | {
      readonly kind: 'CropForegroundd';
      /** Voxels whose source value is > threshold are foreground (MONAI's default select_fn is `x > 0`). */
      readonly threshold: number;
      readonly margin: readonly [number, number, number];
      /** MONAI's allow_smaller: true keeps the box inside the image; false lets it overrun, padded with `padMode`. */
      readonly allowSmaller: boolean;
      readonly padMode: PadMode;
    };

export interface SlidingWindowSpec {
  readonly roiSize: readonly [number, number, number];
  readonly swBatchSize: number;
  readonly overlap: number;
  readonly mode: 'constant' | 'gaussian';
  readonly sigmaScale: number;
  readonly paddingMode: 'constant' | 'replicate' | 'reflect';
  readonly cval: number;
  /**
   * MONAI's SliceInferer: the network is 2D and runs over the slices across this axis of the network's image
   * (its spatial_dim); roiSize is 1 along it. Absent for SlidingWindowInferer.
   */
  readonly sliceAxis?: 0 | 1 | 2;
}

export type PostprocessingStep =
  | { readonly kind: 'Activationsd'; readonly softmax: boolean; readonly sigmoid: boolean }
  | { readonly kind: 'Invertd'; readonly nearestInterp: boolean }
  | { readonly kind: 'AsDiscreted'; readonly argmax: boolean; readonly threshold: number | null }
  | {
      /**
       * MONAI's Lambdad with a function in Axial's safe subset (see parseChannelLambda): per voxel, an
       * integer label computed from the output channels' values (after AsDiscreted's threshold).
       */
      readonly kind: 'Lambdad';
      /** The function as the bundle writes it, without its `$`. */
      readonly source: string;
      readonly expression: ChannelExpression;
    }
  | {
      readonly kind: 'KeepLargestConnectedComponentd';
      readonly appliedLabels: readonly number[] | null;
      readonly independent: boolean;
      readonly connectivity: 1 | 2 | 3;
    };

/**
 * A Lambdad function's body over the prediction `x` ([C, i, j, k]): `x[[k]]` / `x[k]` (channel k), integer
 * literals, comparisons and `torch.where(condition, a, b)`; evaluated voxel by voxel.
 */
export type ChannelExpression =
  | { readonly kind: 'literal'; readonly value: number }
  | { readonly kind: 'channel'; readonly index: number }
  | { readonly kind: 'compare'; readonly op: '>' | '>=' | '<' | '<=' | '==' | '!='; readonly left: ChannelExpression; readonly right: ChannelExpression }
  | { readonly kind: 'where'; readonly condition: ChannelExpression; readonly whenTrue: ChannelExpression; readonly whenFalse: ChannelExpression };

/** MONAI's SlidingWindowInferer defaults, used where a bundle leaves a key out. */
export const monaiSlidingWindowDefaults = {
  swBatchSize: 1,
  overlap: 0.25,
  mode: 'constant',
  sigmaScale: 0.125,
  paddingMode: 'constant',
  cval: 0,
} as const satisfies Omit<SlidingWindowSpec, 'roiSize'>;
