import type { Vec3 } from '../../../core/geometry/types.js';
import type { InteractiveSpec } from '../ModelSpec.js';
import { transposeToKFastest } from '../inference/transposeToKFastest.js';
import type { ResolvedClick } from './resolveClicks.js';
import { guidanceSignal } from './guidanceSignal.js';
import { resizeArea } from './resizeArea.js';
import { clicksOnNetworkGrid } from './clicksOnNetworkGrid.js';
import type { OrientationMapping } from '../pipeline/orientationMapping.js';

export interface GuidedInputParams {
  /** The preprocessed image, i fastest. */
  readonly image: Float32Array;
  readonly dimensions: Vec3;
  readonly orientation: OrientationMapping | undefined;
  readonly interactive: InteractiveSpec;
  /** Clicks with voxels in the (cropped) volume's own index space. */
  readonly clicks: readonly ResolvedClick[];
}

export interface GuidedInput {
  /** [image, one guidance channel per label name], each in C order (k fastest): the network's [1, C, i, j, k]. */
  readonly input: Float32Array;
  readonly size: Vec3;
  /** Each label name's clicks on the network grid. */
  readonly guidance: Record<string, Vec3[]>;
}

/**
 * The network input MONAI's DeepEdit preprocessing makes: Resized (area) of the image, then
 * AddGuidanceSignalDeepEditd's channels in label_names order, or zeros for DiscardAddGuidanced (the automatic
 * mode, also what a DeepEdit model gets with no clicks).
 */
export function buildGuidedInput({ image, dimensions, orientation, interactive, clicks }: GuidedInputParams): GuidedInput {
  const size = interactive.spatialSize ?? dimensions;
  const voxels = size[0] * size[1] * size[2];
  const input = new Float32Array(voxels * (1 + interactive.labelNames.length));
  const resized = interactive.spatialSize ? resizeArea(image, dimensions, size) : image;
  input.set(transposeToKFastest(resized, size), 0);
  const guidance: Record<string, Vec3[]> = {};
  interactive.labelNames.forEach((name, l) => {
    const mine = clicks.filter((c) => c.labelName === name).map((c) => c.voxel);
    guidance[name] = interactive.discardGuidance ? [] : clicksOnNetworkGrid({ voxels: mine, orientation, dimensions, size: interactive.spatialSize });
    if (guidance[name].length > 0) input.set(guidanceSignal(guidance[name], size, interactive.sigma), voxels * (1 + l));
  });
  return { input, size, guidance };
}
