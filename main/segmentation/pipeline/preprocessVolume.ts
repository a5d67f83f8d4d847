import { AxialError } from '../../errors/AxialError.js';
import type { Volume } from '../../volume/Volume.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import type { PreprocessingStep } from '../ModelSpec.js';
import type { ImageGrid } from './ImageGrid.js';
import { shearedSpacingWarning } from './shearedSpacingWarning.js';
import { assertWithinGridBudget } from './assertWithinGridBudget.js';
import { applyIntensityStep } from './intensityTransforms.js';
import { orientationMapping, orientedGeometry, toOriented, type OrientationMapping } from './orientationMapping.js';
import { resampleAxis } from './resampleAxis.js';
import { spacingGrid } from './spacingGrid.js';
import { cropOrPad, foregroundBox, type Box } from './cropOrPad.js';

/**
 * What Invertd needs to bring network-grid predictions back: the index map
 * from the oriented source grid to the network grid, per axis
 * `c = clamp(n × scale, 0, spacedDimensions − 1) − offset`, then the orientation.
 */
export interface SpatialInverse {
  readonly orientation: OrientationMapping | undefined;
  readonly orientedDimensions: Vec3;
  readonly scale: Vec3;
  readonly spacedDimensions: Vec3;
  readonly offset: Vec3;
  readonly networkDimensions: Vec3;
  /** Spacingd's interpolation; Invertd uses it unless told nearest_interp. */
  readonly mode: 'bilinear' | 'nearest';
}

/**
 * Runs the preprocessing steps in order on a copy of the volume's values
 * (`modelPath`, the model they come from, is named in errors).
 * Spatial steps must come as Orientationd, then Spacingd, then crops/pads
 * (every MONAI model-zoo bundle does), so the inverse is a per-axis map.
 * `others` are a multi-channel model's further channels on the volume's grid (see alignChannels): each spatial
 * step moves them as it moves the image, CropForegroundd's box is where any channel is foreground, and an
 * intensity step runs per channel where MONAI's does (channel_wise, or a voxel-by-voxel formula) and over all
 * channels together otherwise, as MONAI's transforms treat a [C, i, j, k] image. The `others` arrays are taken
 * over: steps may transform them in place (a copy of each would hold another volume per channel).
 * @returns `image` (the first channel), `channels` (every channel's data on the network grid, the image's first), and
 *   `warnings` (Spacingd on a sheared grid: shearedSpacingWarning).
 * @throws AxialError MODEL_UNSUPPORTED for another order; MODEL_INVALID for an empty foreground; VOLUME_TOO_LARGE
 *   for a grid far finer or larger than the scan's (assertWithinGridBudget), before it is allocated.
 */
export function preprocessVolume(
  volume: Volume,
  steps: readonly PreprocessingStep[],
  modelPath?: string,
  others: readonly Float32Array[] = [],
): { image: ImageGrid; channels: Float32Array[]; inverse: SpatialInverse; warnings: string[] } {
  // The float copy of the voxels is made lazily: Orientationd, when it comes first (as in every zoo bundle),
  // reads the stored voxels directly, so a 512×512×500 CT is not held as float32 twice (524 MB each).
  let voxels: Float32Array | undefined;
  const stored: ImageGrid = {
    ...volume,
    get data(): Float32Array {
      return (voxels ??= Float32Array.from(volume.voxels));
    },
  };
  let image = stored;
  const warnings: string[] = [];
  let extra: ImageGrid[] = others.map((data) => ({ ...volume, data }));
  let orientation: OrientationMapping | undefined;
  let orientedDimensions = volume.dimensions;
  let scale: Vec3 = [1, 1, 1];
  let spacedDimensions = volume.dimensions;
  let offset: [number, number, number] = [0, 0, 0];
  let mode: 'bilinear' | 'nearest' = 'bilinear';
  let stage = 0;
  // Every channel is resampled and padded alike: the budget counts the grid once per channel (as segmentWithClicks does).
  const channelCount = 1 + others.length;
  // Every channel is resampled: the grid and the scan both count them, so the growth bound is per channel and the 1 GiB floor for all.
  const withChannels = (grid: readonly number[]): number[] => (channelCount > 1 ? [...grid, channelCount] : [...grid]);
  // The spec names such an order unsupported when it is read (spatialOrderProblems); this stays for a spec made by hand.
  const order = (next: number, name: string): void => {
    if (next < stage) {
      throw new AxialError('MODEL_UNSUPPORTED', `${name} after a later spatial transform: Axial inverts Orientationd → Spacingd → crops in that order only`);
    }
    stage = next;
  };
  for (const step of steps) {
    switch (step.kind) {
      case 'Orientationd': {
        order(1, step.kind);
        orientation = orientationMapping(image.dimensions, image.direction, step.axcodes);
        image = {
          dimensions: orientation.orientedDimensions,
          ...orientedGeometry(orientation, image),
          // The stored voxels as they are while nothing has read them as floats yet; the current image otherwise.
          data: toOriented(orientation, image === stored ? (voxels ?? volume.voxels) : image.data, new Float32Array(volume.voxels.length)),
        };
        const mapping = orientation;
        extra = extra.map((c) => ({ ...image, data: toOriented(mapping, c.data, new Float32Array(c.data.length)) }));
        orientedDimensions = spacedDimensions = image.dimensions;
        break;
      }
      case 'Spacingd': {
        order(2, step.kind);
        const grid = spacingGrid(image.dimensions, image.spacing, step.pixdim);
        const sheared = shearedSpacingWarning(image, grid.spacing);
        if (sheared) warnings.push(sheared);
        assertWithinGridBudget(`Spacingd (pixdim ${step.pixdim.join('×')} mm)`, withChannels(grid.dimensions), withChannels(volume.dimensions), modelPath);
        // Source index of network index n is n × pixdim / spacing; Invertd needs the reverse.
        const sourceStep = [0, 1, 2].map((a) => grid.spacing[a]! / image.spacing[a]!) as unknown as Vec3;
        scale = sourceStep.map((s) => 1 / s) as unknown as Vec3;
        extra = extra.map((c) => resample({ ...image, data: c.data }, grid.dimensions, grid.spacing, sourceStep, step.mode));
        image = resample(image, grid.dimensions, grid.spacing, sourceStep, step.mode);
        spacedDimensions = image.dimensions;
        mode = step.mode;
        break;
      }
      case 'ResizeWithPadOrCropd':
      case 'CropForegroundd': {
        order(3, step.kind);
        const box =
          step.kind === 'CropForegroundd'
            ? foregroundBox(extra.length > 0 ? channelMaximum(image, extra) : image, step.threshold, step.margin, step.allowSmaller)
            : centredBox(image.dimensions, step.spatialSize);
        assertWithinGridBudget(step.kind, withChannels([0, 1, 2].map((a) => box.end[a]! - box.start[a]!)), withChannels(volume.dimensions), modelPath);
        const padValue = step.kind === 'ResizeWithPadOrCropd' ? step.padValue : 0;
        extra = extra.map((c) => cropOrPad({ ...image, data: c.data }, box, padValue, step.padMode));
        image = cropOrPad(image, box, padValue, step.padMode);
        offset = offset.map((o, a) => o + box.start[a]!) as [number, number, number];
        break;
      }
      default:
        if (extra.length === 0) applyIntensityStep(image.data, step);
        else applyToChannels([image.data, ...extra.map((c) => c.data)], step);
    }
  }
  return {
    image,
    channels: [image.data, ...extra.map((c) => c.data)],
    inverse: { orientation, orientedDimensions, scale, spacedDimensions, offset, networkDimensions: image.dimensions, mode },
    warnings,
  };
}

/** Voxel-wise maximum over the channels: above a threshold exactly where some channel is (MONAI's select_fn(img).any(0)). */
function channelMaximum(image: ImageGrid, extra: readonly ImageGrid[]): ImageGrid {
  const data = Float32Array.from(image.data);
  for (const c of extra) for (let n = 0; n < data.length; n++) if (c.data[n]! > data[n]!) data[n] = c.data[n]!;
  return { ...image, data };
}

/**
 * One intensity step over a [C, i, j, k] image as MONAI runs it: channel by channel when the step says channel_wise
 * or its formula is voxel by voxel (ScaleIntensityRanged); otherwise its statistics (mean and std, min and max,
 * percentiles) come from all channels together (applyIntensityStep reads them across the arrays, not a joined copy).
 */
function applyToChannels(channels: readonly Float32Array[], step: Parameters<typeof applyIntensityStep>[1]): void {
  if (step.kind === 'ScaleIntensityRanged' || step.channelWise === true) for (const c of channels) applyIntensityStep(c, step);
  else applyIntensityStep(channels, step);
}

function resample(image: ImageGrid, dimensions: Vec3, spacing: Vec3, sourceStep: Vec3, mode: 'bilinear' | 'nearest'): ImageGrid {
  let data = image.data;
  let dims = image.dimensions;
  for (const axis of [0, 1, 2] as const) {
    if (dims[axis] === dimensions[axis] && sourceStep[axis] === 1) continue;
    ({ data, dimensions: dims } = resampleAxis({
      data,
      dimensions: dims,
      axis,
      length: dimensions[axis],
      scale: sourceStep[axis],
      mode: mode === 'nearest' ? 'nearest' : 'linear',
    }));
  }
  return { dimensions, spacing, origin: image.origin, direction: image.direction, data };
}

/** ResizeWithPadOrCrop's box, centred with MONAI's rounding. */
function centredBox(dimensions: Vec3, size: readonly [number, number, number]): Box {
  const start = [0, 1, 2].map((a) => {
    const wanted = size[a]! > 0 ? size[a]! : dimensions[a]!;
    const n = dimensions[a]!;
    // CenterSpatialCrop starts at n//2 − size//2; SpatialPad puts the odd voxel after.
    return n >= wanted ? Math.floor(n / 2) - Math.floor(wanted / 2) : -Math.floor((wanted - n) / 2);
  }) as unknown as Vec3;
  const end = [0, 1, 2].map((a) => start[a]! + (size[a]! > 0 ? size[a]! : dimensions[a]!)) as unknown as Vec3;
  return { start, end };
}
