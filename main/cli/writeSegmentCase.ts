import { performance } from 'node:perf_hooks';
import { AxialError } from '../errors/AxialError.js';
import { writeNifti } from '../nifti/writeNifti.js';
import type { SkippedProvider } from '../segmentation/onnx/createOnnxRunner.js';
import type { InferenceResult, StageSeconds } from '../segmentation/process/inferenceMessages.js';
import { countLabels } from '../labels/countLabels.js';
import { createVolume, type Volume } from '../volume/Volume.js';
import { voxelMillilitres } from '../volume/voxelMillilitres.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** One row of the summary's segment table. */
export interface SegmentStatistics {
  readonly value: number;
  readonly name: string;
  readonly voxels: number;
  readonly volumeMl: number;
}

/** What the summary says of one written layer of a multi-label (sigmoid) model. */
export interface LayerSummary {
  readonly name: string;
  /** The file it was written to (with --layers 4d, the one 4D file, where it is volume `volume`, from 0). */
  readonly output: string;
  readonly volume?: number;
  readonly statistics: SegmentStatistics;
}

/** What `--json` prints for one case, and what batch mode writes beside its output. */
export interface CaseSummary {
  readonly input: string;
  readonly output: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly provider?: string;
  readonly skippedProviders?: readonly SkippedProvider[];
  /** Stage times; `total` is the case's wall-clock time, process start included (only `total` for a failed case). */
  readonly seconds?: (StageSeconds & { readonly write: number }) | { readonly total: number };
  readonly segments?: readonly SegmentStatistics[];
  /** A multi-label model's overlapping layers, one per output channel, as written (none with --layers none). */
  readonly layers?: readonly LayerSummary[];
  /** The DICOM SEG written with --seg. */
  readonly seg?: { readonly output: string; readonly frames: number; readonly segments: number };
  readonly warnings?: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** @throws AxialError OUTPUT_UNSUPPORTED_FORMAT unless the path ends in .nii or .nii.gz. */
export function checkOutputName(output: string): void {
  if (!/\.nii(\.gz)?$/i.test(output)) {
    throw new AxialError('OUTPUT_UNSUPPORTED_FORMAT', 'the label output must end in .nii.gz or .nii', { file: output });
  }
}

/**
 * Writes one result's labels (atomically, with the source's affine, never over
 * an input: the files the volume was read from, and `guarded`, the input path
 * and the model's files) and returns the case's summary.
 * @throws AxialError OUTPUT_IS_INPUT, OUTPUT_WRITE_FAILED, VOLUME_INVALID.
 */
export async function writeSegmentCase(
  result: InferenceResult,
  input: string,
  output: string,
  started: number,
  guarded: readonly string[] = [],
): Promise<CaseSummary> {
  const labels = createVolume(result.labels);
  const writeStarted = performance.now();
  await writeNifti(labels, output, { inputs: [...result.inputFiles, ...guarded], intent: 'label' });
  const finished = performance.now();
  return {
    input,
    output,
    status: 'ok',
    provider: result.provider,
    skippedProviders: result.skippedProviders,
    seconds: roundSeconds({ ...result.seconds, write: (finished - writeStarted) / 1000, total: (finished - started) / 1000 }),
    segments: segmentStatistics(labels, result.segments),
    warnings: result.warnings,
  };
}

/** Voxel counts and volumes (mL) per segment; a voxel's volume is the spacing's product times |det(direction)|. */
export function segmentStatistics(labels: Volume, segments: readonly { value: number; name: string }[]): SegmentStatistics[] {
  const counts = countLabels(labels.voxels as LabelArray);
  const voxelMl = voxelMillilitres(labels);
  return segments.map(({ value, name }) => {
    const count = counts[value] ?? 0;
    return { value, name, voxels: count, volumeMl: Number((count * voxelMl).toFixed(3)) };
  });
}

/** Milliseconds are enough in a summary. */
function roundSeconds<T extends Record<string, number>>(seconds: T): T {
  return Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) as T;
}
