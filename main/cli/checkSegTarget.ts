import { resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { scanInput } from '../input/scanInput.js';
import { chooseSeriesOption } from './chooseSeriesOption.js';

export interface CheckSegTargetParams {
  /** The --seg path. */
  readonly seg: string;
  /** The input the labels are on (a multi-sequence model's first channel) and its --series. */
  readonly input: string;
  readonly series: number | undefined;
  /** The label map's output and the layer files the run will write (layerFilePaths). */
  readonly output: string;
  readonly layerFiles: readonly string[];
}

/**
 * Refuses a `--seg` that cannot be written before the model runs, not after minutes of inference: a DICOM SEG must
 * reference DICOM images, and must not overwrite the run's own label map or layers.
 * @throws AxialError CLI_USAGE when --seg is the output or a layer file; SEG_NEEDS_DICOM_SOURCE when the input's
 *   series is not DICOM; the scan's own codes (INPUT_NOT_FOUND, DICOM_SERIES_NOT_FOUND, CLI_USAGE for several series).
 */
export async function checkSegTarget(params: CheckSegTargetParams): Promise<void> {
  const seg = resolve(params.seg);
  if (seg === resolve(params.output)) throw new AxialError('CLI_USAGE', `--seg ${params.seg} is the label map's output; give the SEG its own file`);
  if (params.layerFiles.some((f) => resolve(f) === seg)) {
    throw new AxialError('CLI_USAGE', `--seg ${params.seg} is where a layer of the result is written; give the SEG its own file (or --layers none)`);
  }
  const scan = await scanInput(params.input);
  const series = chooseSeriesOption(scan.series, params.series === undefined ? undefined : String(params.series), params.input);
  if (series.format !== 'dicom') {
    throw new AxialError(
      'SEG_NEEDS_DICOM_SOURCE',
      `--seg needs a DICOM input to reference, and this one is a ${series.format.toUpperCase()} file; give the DICOM series instead`,
      { file: params.input },
    );
  }
}
