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
}

/** `axial convert <input> <output.nii.gz|.nii|.nrrd> [--series UID|N]`. */
export async function runConvert(args: ConvertArgs, io: CliIo): Promise<number> {
  const writer = writerFor(args.output);
  const scan = await scanInput(args.input, { volumeIndex: args.volumeIndex, philipsScaling: args.philipsScaling, threads: args.threads });
  const series = chooseSeriesOption(scan.series, args.series, args.input);
  const { volume, warnings } = await series.load();
  for (const w of warnings) io.err(`axial: warning: ${w}`);
  // The input path too: a DICOMDIR names the series' files but is an input of its own.
  await writer(volume, args.output, { inputs: [args.input, ...series.files] });
  io.err(`axial: wrote ${args.output} (${volume.dimensions.join('×')} ${volume.dataType})`);
  return 0;
}

function writerFor(output: string): typeof writeNifti | typeof writeNrrd {
  if (/\.nii(\.gz)?$/i.test(output)) return writeNifti;
  if (/\.nrrd$/i.test(output)) return writeNrrd;
  throw new AxialError('OUTPUT_UNSUPPORTED_FORMAT', 'output must end in .nii.gz, .nii or .nrrd', { file: output });
}
