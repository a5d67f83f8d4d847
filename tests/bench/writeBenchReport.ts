import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const EARLIER_RUNS = '## Earlier runs';

/**
 * Writes a bench's report to `path` without losing what the file held. The
 * bench owns only the part before the first `## ` heading it did not generate
 * itself (`## Earlier runs`, or a section added by hand): that part is
 * replaced by `generated`, and the run it described moves to the top of
 * `## Earlier runs` under a `### <date> UTC` heading (its own date line's,
 * its headings two levels down). Everything from that heading on is kept as
 * it was; `## Earlier runs` is created there when the file has none.
 */
export function writeBenchReport(path: string, generated: string): void {
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const owned = new Set(h2Headings(generated));
  const lines = previous.split('\n');
  let keptFrom = lines.findIndex((line) => line.startsWith('## ') && (line.trimEnd() === EARLIER_RUNS || !owned.has(line.trimEnd())));
  if (keptFrom === -1) keptFrom = lines.length;
  const earlier = earlierRun(lines.slice(0, keptFrom));
  let kept = lines.slice(keptFrom);
  if (earlier.length > 0) {
    const at = kept.findIndex((line) => line.trimEnd() === EARLIER_RUNS);
    kept = at === -1 ? [EARLIER_RUNS, '', ...earlier, ...kept] : [...kept.slice(0, at + 1), '', ...earlier, ...dropLeadingBlanks(kept.slice(at + 1))];
  }
  const tail = kept.join('\n').trim();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, tail === '' ? generated : `${generated.trimEnd()}\n\n${tail}\n`);
}

function h2Headings(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => line.trimEnd());
}

/** The previous generated part as an `### <date> UTC` entry: title dropped, headings demoted; empty when it held nothing. */
function earlierRun(previous: readonly string[]): string[] {
  const body = previous[0]?.startsWith('# ') === true ? previous.slice(1) : [...previous];
  const text = body.join('\n').trim();
  if (text === '') return [];
  const iso = /^- date: (\d{4}-\d\d-\d\d)T(\d\d:\d\d)/m.exec(text);
  const heading = iso === null ? '### An earlier run (its date not recorded)' : `### ${iso[1]} ${iso[2]} UTC`;
  return [heading, '', ...text.split('\n').map((line) => (/^#{1,4} /.test(line) ? `##${line}` : line)), ''];
}

function dropLeadingBlanks(lines: readonly string[]): string[] {
  const first = lines.findIndex((line) => line.trim() !== '');
  return first === -1 ? [] : lines.slice(first);
}
