import type { PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';
import { unifyTimePointTypes } from '../dicom/unifyTimePointTypes.js';
import { AxialError } from '../errors/AxialError.js';
import { scanInput } from '../input/scanInput.js';
import { assertOutputFolder } from '../io/assertOutputFolder.js';
import { readNiftiLabelTable } from '../labels/readNiftiLabelTable.js';
import { writeNifti } from '../nifti/writeNifti.js';
import { writeNrrd } from '../nrrd/writeNrrd.js';
import { createVolume, type Volume, type VoxelArray } from '../volume/Volume.js';
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
 * (time points on one grid) becomes one 4D NIfTI, as dcm2niix writes it, unless `--time-point` picks one;
 * its time points, each loaded in the type its own values need, are first given one type (unifyTimePointTypes).
 * @throws AxialError CLI_USAGE for a time point the series lacks, or a 4D series to NRRD without one.
 */
export async function runConvert(args: ConvertArgs, io: CliIo): Promise<number> {
  const writer = writerFor(args.output);
  // Before the scan and the load: a missing or read-only folder, or a write-protected output, is said at once.
  await assertOutputFolder(args.output);
  const scan = await scanInput(args.input, { volumeIndex: args.volumeIndex, philipsScaling: args.philipsScaling, threads: args.threads });
  const series = chooseSeriesOption(scan.series, args.series, args.input);
  if (args.volumeIndex !== undefined && series.format !== 'nifti') {
    const kind = series.format === 'dicom' ? 'DICOM (a 4D DICOM series takes --time-point t)' : 'NRRD';
    throw new AxialError('CLI_USAGE', `--volume picks a volume of a 4D NIfTI; ${args.input} is ${kind}`);
  }
  const timePoints = series.timePoints ?? 1;
  if (args.timePoint !== undefined && args.timePoint >= timePoints) {
    throw new AxialError('CLI_USAGE', `--time-point ${args.timePoint}: the series has ${timePoints} time point(s), 0 to ${timePoints - 1}`);
  }
  const all = timePoints > 1 && args.timePoint === undefined;
  if (all && writer !== writeNifti) {
    throw new AxialError('CLI_USAGE', `the series has ${timePoints} time points: write it as one 4D .nii/.nii.gz, or give --time-point t for one volume`);
  }
  const loaded = await series.load(args.timePoint);
  for (const w of loaded.warnings) io.err(`axial: warning: ${w}`);
  let volume = loaded.volume;
  // One time point at a time, each kept only as its voxels: the file needs all of them at once anyway.
  const voxels: VoxelArray[] = [volume.voxels];
  for (let t = 1; all && t < timePoints; t++) voxels.push((await series.load(t)).volume.voxels);
  // The input path too: a DICOMDIR names the series' files but is an input of its own.
  const inputs = [args.input, ...series.files];
  // A NIfTI label map's label table (TotalSegmentator's, Workbench's) goes with it into a NIfTI output.
  const labelTable = series.format === 'nifti' && writer === writeNifti ? await readNiftiLabelTable(series.files[0]!) : [];
  if (all) {
    unifyTimePointTypes(voxels, series.files[0] ?? args.input);
    volume = withVoxels(volume, voxels[0]!);
    await writeNifti(volume, args.output, { inputs, laterTimePoints: voxels.slice(1), repetitionTime: series.repetitionTime, labelTable });
  } else if (writer === writeNifti) await writeNifti(volume, args.output, { inputs, labelTable, intent: labelTable.length > 0 ? 'label' : undefined });
  else await writer(volume, args.output, { inputs });
  const size = all ? [...volume.dimensions, timePoints] : volume.dimensions;
  io.err(`axial: wrote ${args.output} (${size.join('×')} ${volume.dataType})`);
  return 0;
}

function withVoxels(volume: Volume, voxels: VoxelArray): Volume {
  return voxels === volume.voxels ? volume : createVolume({ ...volume, voxels });
}

function writerFor(output: string): typeof writeNifti | typeof writeNrrd {
  if (/\.nii(\.gz)?$/i.test(output)) return writeNifti;
  if (/\.nrrd$/i.test(output)) return writeNrrd;
  throw new AxialError('OUTPUT_UNSUPPORTED_FORMAT', 'output must end in .nii.gz, .nii or .nrrd', { file: output });
}
