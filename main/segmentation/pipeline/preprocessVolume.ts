import { AxialError } from '../../errors/AxialError.js';
import type { Volume } from '../../volume/Volume.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import type { PreprocessingStep } from '../ModelSpec.js';
import type { ImageGrid } from './ImageGrid.js';
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
 * @throws AxialError MODEL_UNSUPPORTED for another order; MODEL_INVALID for an empty foreground; VOLUME_TOO_LARGE
 *   for a grid far finer or larger than the scan's (assertWithinGridBudget), before it is allocated.
 */
export function preprocessVolume(volume: Volume, steps: readonly PreprocessingStep[], modelPath?: string): { image: ImageGrid; inverse: SpatialInverse } {
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
  let orientation: OrientationMapping | undefined;
  let orientedDimensions = volume.dimensions;
  let scale: Vec3 = [1, 1, 1];
  let spacedDimensions = volume.dimensions;
  let offset: [number, number, number] = [0, 0, 0];
  let mode: 'bilinear' | 'nearest' = 'bilinear';
  let stage = 0;
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
        orientedDimensions = spacedDimensions = image.dimensions;
        break;
      }
      case 'Spacingd': {
        order(2, step.kind);
        const grid = spacingGrid(image.dimensions, image.spacing, step.pixdim);
        assertWithinGridBudget(`Spacingd (pixdim ${step.pixdim.join('×')} mm)`, grid.dimensions, volume.dimensions, modelPath);
        // Source index of network index n is n × pixdim / spacing; Invertd needs the reverse.
        const sourceStep = [0, 1, 2].map((a) => grid.spacing[a]! / image.spacing[a]!) as unknown as Vec3;
        scale = sourceStep.map((s) => 1 / s) as unknown as Vec3;
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
            ? foregroundBox(image, step.threshold, step.margin, step.allowSmaller)
            : centredBox(image.dimensions, step.spatialSize);
        assertWithinGridBudget(
          step.kind,
          [0, 1, 2].map((a) => box.end[a]! - box.start[a]!),
          volume.dimensions,
          modelPath,
        );
        image = cropOrPad(image, box, step.kind === 'ResizeWithPadOrCropd' ? step.padValue : 0, step.padMode);
        offset = offset.map((o, a) => o + box.start[a]!) as [number, number, number];
        break;
      }
      default:
        applyIntensityStep(image.data, step);
    }
  }
  return {
    image,
    inverse: { orientation, orientedDimensions, scale, spacedDimensions, offset, networkDimensions: image.dimensions, mode },
  };
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
