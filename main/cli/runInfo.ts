import { isAxialError, type AxialErrorCode } from '../errors/AxialError.js';
import { scanInput, type ScannedSeries, type ScanInputOptions } from '../input/scanInput.js';
import { describeSeries, formatSeriesDescription, type SeriesDescription } from './describeSeries.js';
import type { CliIo } from './CliIo.js';
import { terminalJson } from './terminalJson.js';
import { terminalText } from './terminalText.js';
import type { SeriesSummary } from '../../core/contract.js';

/** One entry of `axial info --json`'s `series` array for a series that could not be read: what the scan knows, and why. */
interface UnreadableSeries extends Pick<SeriesSummary, 'index' | 'uid' | 'description' | 'modality' | 'format' | 'files'> {
  readonly error: { readonly code: AxialErrorCode; readonly message: string };
}

/**
 * `axial info <input> [--json]`: every series in the input, loaded one at a time.
 * A series that cannot be read (a damaged slice among its files) is listed with its error and the others go on.
 * Its units say which values a Philips series holds (`options.philipsScaling`, precise by default);
 * `options.threads` decode compressed frames (one per core by default).
 * @returns 0 when at least one series was read (or there is none); 1 when none of them could be, after the
 *   first one's error on stderr as the one-line form.
 * @throws AxialError from scanInput (INPUT_NOT_FOUND, a damaged file given alone...); a series' load error other
 *   than an AxialError (a bug) is not caught.
 */
export async function runInfo(input: string, json: boolean, io: CliIo, options: Pick<ScanInputOptions, 'philipsScaling' | 'threads'> = {}): Promise<number> {
  const scan = await scanInput(input, options);
  const described: (SeriesDescription | UnreadableSeries)[] = [];
  for (const series of scan.series) described.push(await describeOrExplain(series));
  const unreadable = described.filter((d): d is UnreadableSeries => 'error' in d);
  if (json) io.out(terminalJson({ series: described, skipped: scan.skipped }));
  else {
    io.out(described.map((d) => ('error' in d ? formatUnreadable(d, described.length) : formatSeriesDescription(d, described.length))).join('\n\n'));
    if (scan.skipped.length > 0) {
      io.out(`\nSkipped ${scan.skipped.length} file${scan.skipped.length === 1 ? '' : 's'}:`);
      const line = (text: string): string => terminalText(text, { singleLine: true });
      for (const s of scan.skipped) io.out(`  ${line(s.file)}: ${line(s.reason.replace(`${s.file}: `, ''))}`);
    }
  }
  const first = unreadable[0];
  if (first === undefined || unreadable.length < described.length) return 0;
  io.err(terminalText(`axial: error ${first.error.code}: ${first.error.message}`, { singleLine: true }));
  return 1;
}

/** The series described, or, when it cannot be loaded, what the scan knows of it and the error. */
async function describeOrExplain(series: ScannedSeries): Promise<SeriesDescription | UnreadableSeries> {
  try {
    const { volume, warnings } = await series.load();
    return describeSeries(series, volume, warnings);
  } catch (error) {
    if (!isAxialError(error)) throw error;
    const { index, uid, description, modality, format } = series;
    return { index, uid, description, modality, format, files: series.files.length, error: { code: error.code, message: error.message } };
  }
}

/** The block `axial info` prints for a series it could not read: the scan's facts, then why, in the error's words. */
function formatUnreadable(d: UnreadableSeries, total: number): string {
  const line = (text: string): string => terminalText(text, { singleLine: true });
  return [
    `Series ${d.index} of ${total}: ${line(d.description) || '(no description)'}${d.modality ? ` [${line(d.modality)}]` : ''}`,
    `  uid          ${line(d.uid) || '(none)'}`,
    `  format       ${d.format}, ${d.files} file${d.files === 1 ? '' : 's'}`,
    `  not read     ${line(d.error.message)} (${d.error.code})`,
  ].join('\n');
}
