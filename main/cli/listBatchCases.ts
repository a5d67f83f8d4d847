import { readdir, stat } from 'node:fs/promises';
import { readCaseListText } from './readCaseListText.js';
import { basename, dirname, join, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { readChannelTable, type ChannelTableRow } from './readChannelTable.js';
import { checkCaseName } from './checkCaseName.js';
import { fileIdentity } from '../io/fileIdentity.js';
import { caseNameKey } from './caseNameKey.js';
import { compareCodePoints } from './compareCodePoints.js';

/** One input of a batch: its name (for the output files) and its path. */
export interface BatchCase {
  readonly name: string;
  /** The input, or a multi-sequence case's first channel (the image whose grid the labels are on). */
  readonly input: string;
  /** A multi-sequence case (from a .csv or .json list): each channel's name and input, in the model's order. */
  readonly channels?: readonly BatchChannel[];
}

/** One input channel of a multi-sequence case. */
export interface BatchChannel {
  readonly name: string;
  readonly input: string;
}

/** Puts a case's channels, as a list names them, in the model's order under its names (see parseChannelInputs). */
export type ChannelOrder = (channels: readonly BatchChannel[]) => BatchChannel[];

/** A case list with one column (CSV) or key (JSON) per channel of a multi-sequence model. */
export const channelListPattern = /\.(csv|json)$/i;

const volumeFile = /\.(nii\.gz|nii|nrrd|nhdr)$/i;

/**
 * A batch's cases, sorted by name then path (code-point order, so every
 * machine sees the same order). A folder gives one case per .nii, .nii.gz,
 * .nrrd or .nhdr file and per subfolder (a DICOM series); hidden entries,
 * other files and `exclude` (the output folder, however its path reaches it) are left out. A text file gives
 * one case per non-empty line not starting with `#`, relative to the list's folder. A `.csv` or `.json` list
 * gives multi-sequence cases, one input per channel (see readChannelTable), every row put in the model's channel
 * order by `orderChannels` before anything runs; a case is named by its `case` column or its first channel's input.
 * Case names follow checkCaseName's rules, whatever kind of batch it is (a folder's too: a 245-character file name
 * would fail at its outputs' longer names).
 * @throws AxialError INPUT_NOT_FOUND when the path is missing; OUTPUT_IS_INPUT when `exclude` is a subfolder of the
 *   batch folder that holds more than Axial's outputs (it would be a case); CLI_USAGE when there are no cases, two share a name
 *   (compared by caseNameKey: ignoring letter case, as macOS and Windows do, and Unicode normalisation, as macOS does),
 *   a case name is not one plain file-name part, or a row's channels are not the model's (naming the list and the
 *   line or row).
 */
export async function listBatchCases(path: string, exclude?: string, orderChannels?: ChannelOrder): Promise<BatchCase[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new AxialError('INPUT_NOT_FOUND', 'no such batch folder or list', { file: path });
  const listed: BatchCase[] =
    !info.isDirectory() && channelListPattern.test(path)
      ? (await readChannelTable(path)).map((row) => channelCase(row, path, orderChannels))
      : info.isDirectory()
        ? (await listFolder(path, exclude)).map((input) => folderCase(input, path))
        : await readList(path);
  const cases = listed.sort((a, b) => compareCodePoints(a.name, b.name) || compareCodePoints(a.input, b.input));
  if (cases.length === 0) throw new AxialError('CLI_USAGE', 'the batch holds no cases (.nii, .nii.gz, .nrrd files or series folders)', { file: path });
  // Names differing only in letter case or normalisation are one file on macOS (and case on Windows), where --out-dir may be.
  const seen = new Map<string, BatchCase>();
  for (const c of cases) {
    const key = caseNameKey(c.name);
    const other = seen.get(key);
    if (other !== undefined) {
      const clash =
        other.name === c.name
          ? `two cases would write the same output "${c.name}"`
          : other.name.toLowerCase() === c.name.toLowerCase()
            ? `cases "${other.name}" and "${c.name}" would write the same output on macOS and Windows, which ignore letter case in file names`
            : `cases "${other.name}" and "${c.name}" would write the same output on macOS, which takes their Unicode forms (NFC and NFD) for one file name`;
      throw new AxialError('CLI_USAGE', `${clash}: ${other.input} and ${c.input}`, { file: path });
    }
    seen.set(key, c);
  }
  return cases;
}

/** A list's row as a case: its channels in the model's order, its input and default name the first channel's. */
function channelCase(row: ChannelTableRow, file: string, orderChannels: ChannelOrder | undefined): BatchCase {
  let channels: BatchChannel[];
  try {
    channels = orderChannels ? orderChannels(row.channels) : [...row.channels];
  } catch (error) {
    if (!(error instanceof AxialError)) throw error;
    throw new AxialError(error.code, `${row.where}: ${error.message}`, { file, cause: error });
  }
  const input = channels[0]!.input;
  // A name from the `case` column was checked as the list was read; one from a path is checked here.
  const name = row.name ?? caseName(input);
  if (row.name === undefined) checkCaseName(name, file, row.where, true);
  return { name, input, channels };
}

/** A folder batch's entry as a case, its name checked as a list's would be. */
function folderCase(input: string, folder: string): BatchCase {
  const name = caseName(input);
  checkCaseName(name, folder, 'in the batch folder', true);
  return { name, input };
}

async function listFolder(folder: string, exclude: string | undefined): Promise<string[]> {
  // By identity: --out-dir may reach a folder of the batch through a symlink or a bind mount. One not made yet is no
  // entry either, so shards listing before and after it is made list the same cases.
  const skip = exclude === undefined ? undefined : await fileIdentity(exclude);
  const entries = await readdir(folder, { withFileTypes: true });
  const inputs: string[] = [];
  let outDir: string | undefined;
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory());
    if (isDirectory && skip !== undefined && (await fileIdentity(path)) === skip) outDir = path;
    else if (isDirectory || volumeFile.test(entry.name)) inputs.push(path);
  }
  // Judged once every case is known: an output is named after one of them.
  if (outDir !== undefined) await refuseCaseAsOutDir(outDir, exclude!, new Set(inputs.map(caseName)));
  return inputs;
}

/**
 * The batch folder's subfolder given as --out-dir is left out only while it holds nothing but Axial's own outputs
 * for this batch's `cases` (`<case>.nii.gz`, its layers `<case>-<layer>.nii.gz`, `<case>.axial.json`, the summaries)
 * and hidden entries: anything else there (a scan, a DICOM file, a folder) would have made it a case, silently
 * dropped, its outputs written beside its scan. Judged by the names alone, not by a `.axial.json` beside each: a run
 * stopped between a label map and its sidecar (Slurm's --time) leaves one without, and --skip-existing reruns it.
 * @throws AxialError OUTPUT_IS_INPUT naming the first such entry.
 */
async function refuseCaseAsOutDir(folder: string, outDir: string, cases: ReadonlySet<string>): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const isCase = (stem: string): boolean => cases.has(stem) || [...cases].some((c) => stem.startsWith(`${c}-`));
  const isOutput = (name: string): boolean =>
    /^axial-summary.*\.json$/.test(name) ||
    (name.endsWith('.axial.json') && cases.has(name.slice(0, -'.axial.json'.length))) ||
    (/\.nii(\.gz)?$/i.test(name) && isCase(name.replace(/\.nii(\.gz)?$/i, '')));
  const input = entries.find((e) => !e.isFile() || !isOutput(e.name));
  if (input === undefined) return;
  throw new AxialError(
    'OUTPUT_IS_INPUT',
    `--out-dir is the case folder ${folder} (it holds ${input.name}, not one of Axial's outputs): that case would be left out ` +
      'and the outputs written beside its scan; name another folder',
    { file: outDir },
  );
}

/** A text list's cases, each named by its path: not empty, not hidden (see checkCaseName). */
async function readList(file: string): Promise<BatchCase[]> {
  const text = await readCaseListText(file);
  return text
    .split(/\r?\n/)
    .map((line, n) => ({ line: line.trim(), where: `line ${n + 1}` }))
    .filter(({ line }) => line.length > 0 && !line.startsWith('#'))
    .map(({ line, where }) => {
      const input = resolve(dirname(file), line);
      const name = caseName(input);
      checkCaseName(name, file, where, true);
      return { name, input };
    });
}

/** The file or folder name without its volume extension. */
export function caseName(input: string): string {
  return basename(input.replace(/[\\/]+$/, '')).replace(volumeFile, '');
}

/**
 * Parses `--shard i/n` (1-based i).
 * @throws AxialError CLI_USAGE unless 1 ≤ i ≤ n.
 */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(count >= 1 && index >= 1 && index <= count)) {
    throw new AxialError('CLI_USAGE', `--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/8), got "${text}"`);
  }
  return { index, count };
}

/** The cases of shard i of n: those whose position in the sorted list, mod n, is i-1. */
export function shardCases<T>(cases: readonly T[], shard: { index: number; count: number }): T[] {
  return cases.filter((_, position) => position % shard.count === shard.index - 1);
}
