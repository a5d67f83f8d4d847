import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import { AxialError } from '../errors/AxialError.js';
import { scanInput } from '../input/scanInput.js';
import { writeNifti } from '../nifti/writeNifti.js';
import { writeNrrd } from '../nrrd/writeNrrd.js';
import { chooseSeriesOption } from './chooseSeriesOption.js';
import type { CliIo } from './CliIo.js';

export interface ConvertArgs {
  readonly input: string;
  readonly output: string;
  /** A SeriesInstanceUID or a 1-based index from `axial info`. */
  readonly series?: string;
  /** For 4D NIfTI input, the volume to take (0-based). */
  readonly volumeIndex?: number;
  /** Philips MR values: precise (default) or display. */
  readonly philipsScaling?: PhilipsScaling;
  /** Threads that decode compressed DICOM frames (default one per core). */
  readonly threads?: number;
  /** For a 4D DICOM series: write only this time point (0-based) as a 3D volume. */
  readonly timePoint?: number;
}

/**
 * `axial convert <input> <output.nii.gz|.nii|.nrrd> [--series UID|N] [--time-point t]`. A 4D DICOM series
 * (time points on one grid) becomes one 4D NIfTI, as dcm2niix writes it, unless `--time-point` picks one.
 * @throws AxialError CLI_USAGE for a time point the series lacks, or a 4D series to NRRD without one.
 */
export async function runConvert(args: ConvertArgs, io: CliIo): Promise<number> {
  const writer = writerFor(args.output);
  const scan = await scanInput(args.input, { volumeIndex: args.volumeIndex, philipsScaling: args.philipsScaling, threads: args.threads });
  const series = chooseSeriesOption(scan.series, args.series, args.input);
  const timePoints = series.timePoints ?? 1;
  if (args.timePoint !== undefined && args.timePoint >= timePoints) {
    throw new AxialError('CLI_USAGE', `--time-point ${args.timePoint}: the series has ${timePoints} time point(s), 0 to ${timePoints - 1}`);
  }
  const all = timePoints > 1 && args.timePoint === undefined;
  if (all && writer !== writeNifti) {
    throw new AxialError('CLI_USAGE', `the series has ${timePoints} time points: write it as one 4D .nii/.nii.gz, or give --time-point t for one volume`);
  }
  const { volume, warnings } = await series.load(args.timePoint);
  for (const w of warnings) io.err(`axial: warning: ${w}`);
  // One time point at a time, each kept only as its voxels: the file needs all of them at once anyway.
  const laterTimePoints = [];
  for (let t = 1; all && t < timePoints; t++) laterTimePoints.push((await series.load(t)).volume.voxels);
  // The input path too: a DICOMDIR names the series' files but is an input of its own.
  const inputs = [args.input, ...series.files];
  if (all) await writeNifti(volume, args.output, { inputs, laterTimePoints, repetitionTime: series.repetitionTime });
  else await writer(volume, args.output, { inputs });
  const size = all ? [...volume.dimensions, timePoints] : volume.dimensions;
  io.err(`axial: wrote ${args.output} (${size.join('×')} ${volume.dataType})`);
  return 0;
}

function writerFor(output: string): typeof writeNifti | typeof writeNrrd {
  if (/\.nii(\.gz)?$/i.test(output)) return writeNifti;
  if (/\.nrrd$/i.test(output)) return writeNrrd;
  throw new AxialError('OUTPUT_UNSUPPORTED_FORMAT', 'output must end in .nii.gz, .nii or .nrrd', { file: output });
}
