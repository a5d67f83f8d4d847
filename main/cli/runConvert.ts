import { AxialError } from '../errors/AxialError.js';
import { scanInput, type ScannedSeries } from '../input/scanInput.js';
import { writeNifti } from '../nifti/writeNifti.js';
import { writeNrrd } from '../nrrd/writeNrrd.js';
import type { CliIo } from './CliIo.js';
import { terminalText } from './terminalText.js';

export interface ConvertArgs {
  readonly input: string;
  readonly output: string;
  /** A SeriesInstanceUID or a 1-based index from `axial info`. */
  readonly series?: string;
  /** For 4D NIfTI input, the volume to take (0-based). */
  readonly volumeIndex?: number;
}

/** `axial convert <input> <output.nii.gz|.nii|.nrrd> [--series UID|N]`. */
export async function runConvert(args: ConvertArgs, io: CliIo): Promise<number> {
  const writer = writerFor(args.output);
  const scan = await scanInput(args.input, { volumeIndex: args.volumeIndex });
  const series = chooseSeries(scan.series, args.series, args.input);
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

/**
 * Picks the series to convert: the only one, or the one named by UID or index.
 * @throws AxialError CLI_USAGE when several exist and none is named; DICOM_SERIES_NOT_FOUND when the name matches none.
 */
export function chooseSeries(all: readonly ScannedSeries[], wanted: string | undefined, input: string): ScannedSeries {
  const line = (text: string): string => terminalText(text, { singleLine: true });
  const list = (): string => all.map((s) => `  ${s.index}: ${line(s.uid) || '(no UID)'} ${line(s.description)}`).join('\n');
  if (wanted === undefined) {
    if (all.length === 1) return all[0]!;
    throw new AxialError('CLI_USAGE', `holds ${all.length} series; choose one with --series UID or --series N:\n${list()}`, { file: input });
  }
  const byIndex = /^\d+$/.test(wanted) ? all.find((s) => s.index === Number(wanted)) : undefined;
  const byUid = all.filter((s) => s.uid === wanted);
  if (byIndex) return byIndex;
  if (byUid.length === 1) return byUid[0]!;
  if (byUid.length > 1) {
    throw new AxialError('CLI_USAGE', `UID ${wanted} was split into ${byUid.length} volumes; choose one by number:\n${list()}`, { file: input });
  }
  throw new AxialError('DICOM_SERIES_NOT_FOUND', `no series ${wanted}; found:\n${list()}`, { file: input });
}
