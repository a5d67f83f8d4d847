import { scanInput, type ScanInputOptions } from '../input/scanInput.js';
import { describeSeries, formatSeriesDescription, type SeriesDescription } from './describeSeries.js';
import type { CliIo } from './CliIo.js';
import { terminalJson } from './terminalJson.js';
import { terminalText } from './terminalText.js';

/**
 * `axial info <input> [--json]`: every series in the input, loaded one at a time.
 * Its units say which values a Philips series holds (`options.philipsScaling`, precise by default);
 * `options.threads` decode compressed frames (one per core by default).
 */
export async function runInfo(input: string, json: boolean, io: CliIo, options: Pick<ScanInputOptions, 'philipsScaling' | 'threads'> = {}): Promise<number> {
  const scan = await scanInput(input, options);
  const described: SeriesDescription[] = [];
  for (const series of scan.series) {
    const { volume, warnings } = await series.load();
    described.push(describeSeries(series, volume, warnings));
  }
  if (json) {
    io.out(terminalJson({ series: described, skipped: scan.skipped }));
    return 0;
  }
  io.out(described.map((d) => formatSeriesDescription(d, described.length)).join('\n\n'));
  if (scan.skipped.length > 0) {
    io.out(`\nSkipped ${scan.skipped.length} file${scan.skipped.length === 1 ? '' : 's'}:`);
    const line = (text: string): string => terminalText(text, { singleLine: true });
    for (const s of scan.skipped) io.out(`  ${line(s.file)}: ${line(s.reason.replace(`${s.file}: `, ''))}`);
  }
  return 0;
}
