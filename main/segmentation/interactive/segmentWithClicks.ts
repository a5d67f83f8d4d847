import { performance } from 'node:perf_hooks';
import type { Vec3 } from '../../../core/geometry/types.js';
import { AxialError } from '../../errors/AxialError.js';
import type { Volume } from '../../volume/Volume.js';
import { labelVolume } from '../labelVolume.js';
import type { RunBatch } from '../inference/slidingWindowInference.js';
import type { ModelSpec } from '../ModelSpec.js';
import { keepLargestConnectedComponent } from '../pipeline/keepLargestConnectedComponent.js';
import { fromOriented } from '../pipeline/orientationMapping.js';
import { assertWithinGridBudget } from '../pipeline/assertWithinGridBudget.js';
import { preprocessVolume } from '../pipeline/preprocessVolume.js';
import { segmentColours, type Segment } from '../segmentColours.js';
import { buildGuidedInput } from './buildGuidedInput.js';
import type { ClickPoint, VoxelBox } from './ClickPoint.js';
import { cropVolume, pasteBox, roiAroundClicks } from './clickRoi.js';
import { labelsFromLogits } from './labelsFromLogits.js';
import { interactiveSpecOf, resolveClicks } from './resolveClicks.js';

export interface SegmentWithClicksParams {
  readonly volume: Volume;
  /** A DeepEdit model's spec (loadModelSpec); its `interactive` part says how clicks become guidance. */
  readonly spec: ModelSpec;
  /** The model's runner (createOnnxRunner(...).runBatch), fed [1, image + guidance channels, i, j, k]. */
  readonly runBatch: RunBatch;
  /** Clicks in LPS mm; none runs the model's automatic mode (zero guidance, as DiscardAddGuidanced). */
  readonly points: readonly ClickPoint[];
  /**
   * Where the model runs: 'scan' (the default) the whole scan; 'clicks' a 128³-voxel box at native resolution
   * around the clicks (the whole scan when there are none); or a box of source voxels. Labels outside the box are 0.
   */
  readonly roi?: 'scan' | 'clicks' | VoxelBox;
}

export interface ClickSegmentationResult {
  /** uint8 labels on the scan's own grid (0 outside the ROI). */
  readonly labels: Volume;
  readonly segments: Segment[];
  /** The source voxels the model ran on. */
  readonly roi: VoxelBox;
  /** Each label name's clicks on the network grid (i, j, k after Orientationd and Resized), in label_names order. */
  readonly guidance: Readonly<Record<string, readonly Vec3[]>>;
  /** Seconds per stage; `network` is the time inside runBatch. */
  readonly seconds: { preprocess: number; network: number; postprocess: number; total: number };
}

/**
 * Click-to-segment with a MONAI DeepEdit model, as the model zoo's spleen_deepedit_annotation runs it: the
 * bundle's preprocessing, Resized (area), guidance channels from the clicks (AddGuidanceSignalDeepEditd), the
 * network, softmax, Invertd, argmax; the labels back on the scan's grid. Inputs and result are plain data
 * (structured-clone safe), so the app's inference process and the CLI share it.
 * @throws AxialError MODEL_UNSUPPORTED for a model Axial cannot run with clicks (see interactiveSpecOf); VOLUME_TOO_LARGE for a
 *   Resized spatial_size far past the scan's size (assertWithinGridBudget);
 *   CLICK_INVALID for a click outside the scan or a bad label name; IPC_INVALID_ARGUMENTS for a box outside the scan; the pipeline's
 *   and the network's own errors.
 */
export async function segmentWithClicks(params: SegmentWithClicksParams): Promise<ClickSegmentationResult> {
  const { volume, spec } = params;
  const started = performance.now();
  const interactive = interactiveSpecOf(spec, params.points.length);
  if (!interactive) throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} is not a DeepEdit (interactive) model`, { file: spec.modelPath });
  const clicks = resolveClicks(volume, interactive, params.points);
  const roi = chooseRoi(
    params.roi ?? 'scan',
    clicks.map((c) => c.voxel),
    volume.dimensions,
  );
  const whole = roi.start.every((s) => s === 0) && roi.end.every((e, a) => e === volume.dimensions[a]);
  const region = whole ? volume : cropVolume(volume, roi);
  const inside = clicks
    .map((c) => ({ ...c, voxel: c.voxel.map((v, a) => v - roi.start[a]!) as unknown as Vec3 }))
    .filter((c) => c.voxel.every((v, a) => v >= 0 && v < region.dimensions[a]!));
  const { image, inverse } = preprocessVolume(region, spec.preprocessing, spec.modelPath);
  // A hostile spatial_size (5000³) is refused before the image and guidance channels are allocated.
  const size = interactive.spatialSize;
  if (size) assertWithinGridBudget(`Resized (spatial_size ${size.join('×')})`, [...size, spec.input.channels], region.dimensions, spec.modelPath);
  const guided = buildGuidedInput({ image: image.data, dimensions: image.dimensions, orientation: inverse.orientation, interactive, clicks: inside });
  const preprocessed = performance.now();
  const logits = await params.runBatch(guided.input, 1, guided.size);
  const ran = performance.now();
  const oriented = labelsFromLogits({
    logits,
    channels: spec.output.channels,
    size: guided.size,
    dimensions: image.dimensions,
    activation: activationOf(spec),
    nearest: spec.postprocessing.some((s) => s.kind === 'Invertd' && s.nearestInterp),
  });
  const regionLabels = inverse.orientation ? fromOriented(inverse.orientation, oriented, new Uint8Array(oriented.length)) : oriented;
  for (const step of spec.postprocessing) {
    if (step.kind === 'KeepLargestConnectedComponentd') keepLargestConnectedComponent({ ...step, labels: regionLabels, dimensions: region.dimensions });
  }
  let voxels = regionLabels;
  if (!whole) {
    voxels = new Uint8Array(volume.voxels.length);
    pasteBox(voxels, volume.dimensions, roi, regionLabels);
  }
  const labels = labelVolume(volume, voxels, spec.name);
  const finished = performance.now();
  return {
    labels,
    segments: segmentColours(spec.output.labels),
    roi,
    guidance: guided.guidance,
    seconds: {
      preprocess: (preprocessed - started) / 1000,
      network: (ran - preprocessed) / 1000,
      postprocess: (finished - ran) / 1000,
      total: (finished - started) / 1000,
    },
  };
}

function activationOf(spec: ModelSpec): 'softmax' | 'sigmoid' | 'none' {
  const step = spec.postprocessing.find((s) => s.kind === 'Activationsd');
  return step?.kind === 'Activationsd' ? (step.softmax ? 'softmax' : step.sigmoid ? 'sigmoid' : 'none') : 'none';
}

function chooseRoi(roi: 'scan' | 'clicks' | VoxelBox, voxels: readonly Vec3[], dimensions: Vec3): VoxelBox {
  if (roi === 'scan' || (roi === 'clicks' && voxels.length === 0)) return { start: [0, 0, 0], end: dimensions };
  if (roi === 'clicks') return roiAroundClicks(voxels, dimensions);
  const ok = [0, 1, 2].every(
    (a) => Number.isInteger(roi.start[a]) && Number.isInteger(roi.end[a]) && roi.start[a]! >= 0 && roi.start[a]! < roi.end[a]! && roi.end[a]! <= dimensions[a]!,
  );
  if (!ok)
    throw new AxialError('IPC_INVALID_ARGUMENTS', `the box [${roi.start.join(', ')}]–[${roi.end.join(', ')}] is not inside the scan (${dimensions.join('×')})`);
  return roi;
}
