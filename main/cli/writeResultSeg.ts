import { labelColour } from '../../core/labels/labelColour.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { SegSegment } from '../dicomSeg/SegSegment.js';
import { segmentCodesFor } from '../dicomSeg/segmentCodes.js';
import { writeDicomSeg } from '../dicomSeg/writeDicomSeg.js';
import { scanInput } from '../input/scanInput.js';
import type { InferenceResult } from '../segmentation/process/inferenceMessages.js';
import { createVolume } from '../volume/Volume.js';
import { chooseSeriesOption } from './chooseSeriesOption.js';

export interface WriteResultSegParams {
  readonly result: InferenceResult;
  /** The DICOM input the labels are on (a multi-channel model's first channel), and its series number when it holds several. */
  readonly input: string;
  readonly series: number | undefined;
  readonly output: string;
  /** The model's name: DICOM requires an automatic segment to name its algorithm. */
  readonly modelName: string;
  /** Files never to overwrite. */
  readonly inputs: readonly string[];
}

/**
 * Writes a segmentation result as a DICOM SEG referencing its DICOM input. A multi-label (sigmoid) result's
 * layers become one segment each, in a layer each, so they overlap as the model's channels do (SegmentsOverlap
 * UNDEFINED); any other result's label map gives one segment per label with voxels.
 * @returns frames and segments written, and the writer's warnings.
 * @throws AxialError SEG_NEEDS_DICOM_SOURCE for an input not read from DICOM; SEG_EMPTY when no segment has a
 *   voxel; the readers' and writeDicomSeg's other codes.
 */
export async function writeResultSeg(params: WriteResultSegParams): Promise<{ frames: number; segments: number; warnings: readonly string[] }> {
  const { result } = params;
  const scan = await scanInput(params.input);
  const series = chooseSeriesOption(scan.series, params.series === undefined ? undefined : String(params.series), params.input);
  // The labels carry the source's grid and metadata (its SOP Instance UIDs among them), as the inference process copied them.
  const volume = createVolume(result.labels);
  const automatic = { algorithmType: 'AUTOMATIC' as const, algorithmName: params.modelName };
  const segment = (layer: number, value: number, label: string, colour: readonly [number, number, number]): SegSegment => ({
    layer,
    value,
    label,
    ...automatic,
    ...segmentCodesFor(label),
    colour,
  });
  let layers: LabelArray[];
  let segments: SegSegment[];
  if (result.layers?.length) {
    layers = result.layers.map((l) => l.labels.voxels as LabelArray);
    segments = result.layers.map((l, n) => segment(n, 1, l.name, l.segments[0]?.colour ?? labelColour(n + 1)));
  } else {
    const labels = volume.voxels as LabelArray;
    const present = new Set<number>(labels);
    layers = [labels];
    segments = result.segments.filter((s) => present.has(s.value)).map((s) => segment(0, s.value, s.name, s.colour));
  }
  const written = await writeDicomSeg({
    series,
    volume,
    seg: { layers, segments },
    outPath: params.output,
    seriesDescription: `${params.modelName} segmentation`.slice(0, 64),
    inputs: params.inputs,
  });
  return written;
}
