import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { assertOutputFolder } from '../io/assertOutputFolder.js';
import { readSmallTextFile } from '../io/readSmallTextFile.js';
import { scanInput } from '../input/scanInput.js';
import type { SegSegment } from '../dicomSeg/SegSegment.js';
import { segmentCodesFor } from '../dicomSeg/segmentCodes.js';
import { totalSegmentatorLabels } from '../dicomSeg/totalSegmentatorLabels.js';
import { writeDicomSeg } from '../dicomSeg/writeDicomSeg.js';
import { countLabels } from '../labels/countLabels.js';
import { labelColour } from '../../core/labels/labelColour.js';
import { openLabelMap } from '../labels/openLabelMap.js';
import { maxLabelFileBytes } from '../labels/parseLabelNames.js';
import type { CliIo } from './CliIo.js';
import { chooseSeriesOption } from './chooseSeriesOption.js';
import { terminalJson } from './terminalJson.js';

export const exportSegUsage = `Usage:
  axial export-seg --source <dicom> --labels <labels.nii.gz|.nrrd> <out.dcm>
                   [--series UID|N] [--label-names totalsegmentator|<names.json>]
                   [--algorithm NAME] [--json]

--source       the DICOM series the labels were drawn on: a file, a folder or a DICOMDIR
--labels       a label map (NIfTI or NRRD); put on the series' grid, nearest-neighbour
               if its grid differs; each volume of a 4D NIfTI, and each layer of a
               .seg.nrrd, is a layer of its own (its segments may overlap the others')
--label-names  "totalsegmentator" (TotalSegmentator v2's 117 "total" classes), or a JSON
               file: {"1": "liver", ...} or [{"value": 1, "name": "liver"}, ...];
               unnamed labels are called "Label N"
--algorithm    the program that made the labels: segments are AUTOMATIC with this
               algorithm name; without it they are MANUAL
--json         print a summary as JSON on stdout`;

interface ExportSegArgs {
  readonly source: string;
  readonly labels: string;
  readonly output: string;
  readonly series?: string;
  readonly labelNames?: string;
  readonly algorithm?: string;
  readonly json: boolean;
}

/**
 * `axial export-seg ...`: `argv` is what follows the word `export-seg`.
 * Writes one segment per label value present in each layer of the label map.
 * @throws AxialError CLI_USAGE for bad arguments; OUTPUT_WRITE_FAILED, before anything is read, when the output's
 *   folder is missing or not writable or the file there is write-protected (assertOutputFolder); SEG_EMPTY, naming
 *   the label map, when it holds no labelled voxel on the series' grid; the readers', openLabelMap's and
 *   writeDicomSeg's codes.
 */
export async function runExportSeg(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseExportSegArgs(argv);
  if (args === 'help') {
    io.out(exportSegUsage);
    return 0;
  }
  const started = performance.now();
  // Before the series is read and the labels resampled: a mistyped folder is said at once, not after the work.
  await assertOutputFolder(args.output);
  const names = args.labelNames === undefined ? new Map<number, string>() : await readLabelNames(args.labelNames);
  const scan = await scanInput(args.source);
  const series = chooseSeriesOption(scan.series, args.series, args.source);
  const { volume, warnings } = await series.load();
  const labelMap = await openLabelMap(args.labels, volume);
  for (const w of warnings) io.err(`axial: warning: ${w}`);
  for (const w of labelMap.warnings) io.err(`axial: warning: ${labelMap.name}: ${w}`);
  const { layers } = labelMap;
  const layered = layers.length > 1;
  const counts = layers.map(countLabels);
  // Names go by label value: a value in several layers (each --layers 4d volume holds label 1) is a structure of
  // its own in each, so its name is not used, and the command says so.
  const inLayers = (value: number): number => counts.filter((c) => (c[value] ?? 0) > 0).length;
  const shared = [...names.keys()].filter((value) => inLayers(value) > 1);
  if (shared.length > 0) {
    io.err(
      `axial: warning: --label-names not used for label ${shared.join(', ')}: in ${labelMap.name} each is in several layers, a structure of its own in each`,
    );
  }
  const byValue = new Map([...names].filter(([value]) => !shared.includes(value)));
  const segments = counts.flatMap((count, n) => segmentsOf(count, { layer: n, layered }, byValue, args.algorithm));
  if (segments.length === 0) {
    throw new AxialError('SEG_EMPTY', `holds no labelled voxel${layered ? ` in any of its ${layers.length} layers` : ''}: nothing to write`, {
      file: args.labels,
    });
  }
  const result = await writeDicomSeg({
    series,
    volume,
    seg: { layers, segments },
    outPath: args.output,
    // A detached NRRD label map's data file is guarded with it: assertNotInput reads the header.
    inputs: [args.source, args.labels, ...(args.labelNames && args.labelNames.toLowerCase() !== 'totalsegmentator' ? [args.labelNames] : [])],
  });
  for (const w of result.warnings) io.err(`axial: warning: ${w}`);
  const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  if (args.json) {
    const summary = segments.map((s) => ({ ...(layered ? { layer: s.layer } : {}), value: s.value, label: s.label }));
    io.out(terminalJson({ output: args.output, frames: result.frames, segments: summary, seconds }));
  } else {
    io.err(`axial: wrote ${args.output} (${result.segments} segments, ${result.frames} frames) in ${seconds.toFixed(1)} s`);
  }
  return 0;
}

/**
 * One segment per label value present in a layer, in value order; an unnamed label of a file of several layers is
 * called "Label N, layer L", as the same value may mean another structure in another layer.
 */
function segmentsOf(
  counts: Float64Array,
  where: { layer: number; layered: boolean },
  names: ReadonlyMap<number, string>,
  algorithm: string | undefined,
): SegSegment[] {
  const segments: SegSegment[] = [];
  counts.forEach((count, value) => {
    if (value === 0 || count === 0) return;
    const label = names.get(value) ?? `Label ${value}${where.layered ? `, layer ${where.layer + 1}` : ''}`;
    segments.push({
      layer: where.layer,
      value,
      label,
      ...(algorithm === undefined ? { algorithmType: 'MANUAL' as const } : { algorithmType: 'AUTOMATIC' as const, algorithmName: algorithm }),
      ...segmentCodesFor(label),
      colour: labelColour(value),
    });
  });
  return segments;
}

/**
 * @throws AxialError INPUT_NOT_FOUND or INPUT_UNREADABLE when the names file cannot be read or
 *   does not hold label names in one of the two accepted shapes; INPUT_NOT_A_FILE for a FIFO, device or folder;
 *   INPUT_TOO_LARGE past 4 MiB.
 */
async function readLabelNames(spec: string): Promise<ReadonlyMap<number, string>> {
  if (spec.toLowerCase() === 'totalsegmentator') return totalSegmentatorLabels;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readSmallTextFile(spec, maxLabelFileBytes, 'a label names file'));
  } catch (error) {
    if (isAxialError(error)) throw error;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AxialError(missing ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', `cannot read label names: ${(error as Error).message}`, {
      file: spec,
      cause: error,
    });
  }
  const entries = Array.isArray(parsed)
    ? parsed.map((item: { value?: unknown; name?: unknown }) => [item?.value, item?.name] as const)
    : typeof parsed === 'object' && parsed !== null
      ? Object.entries(parsed).map(([value, name]) => [Number(value), name] as const)
      : [];
  const names = new Map<number, string>();
  for (const [value, name] of entries) {
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) || typeof name !== 'string' || name === '') {
      throw new AxialError('INPUT_UNREADABLE', 'label names must be {"1": "liver", ...} or [{"value": 1, "name": "liver"}, ...]', { file: spec });
    }
    names.set(value, name);
  }
  return names;
}

function parseExportSegArgs(argv: readonly string[]): ExportSegArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        labels: { type: 'string' },
        series: { type: 'string' },
        'label-names': { type: 'string' },
        algorithm: { type: 'string' },
        json: { type: 'boolean', default: false },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new AxialError('CLI_USAGE', `${(error as Error).message}\n${exportSegUsage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.source === undefined || values.labels === undefined) throw new AxialError('CLI_USAGE', `--source and --labels are required\n${exportSegUsage}`);
  if (positionals.length !== 1) throw new AxialError('CLI_USAGE', `expected one output file, got ${positionals.length}\n${exportSegUsage}`);
  if (values.algorithm !== undefined && values.algorithm.trim() === '') throw new AxialError('CLI_USAGE', '--algorithm needs a name');
  return {
    source: values.source,
    labels: values.labels,
    output: positionals[0]!,
    series: values.series,
    labelNames: values['label-names'],
    algorithm: values.algorithm,
    json: values.json,
  };
}
