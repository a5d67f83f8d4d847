import { dirname, resolve } from 'node:path';
import { readCaseListText } from './readCaseListText.js';
import { AxialError } from '../errors/AxialError.js';
import { checkCaseName } from './checkCaseName.js';

/** One case of a multi-sequence batch: its name (or none, to take the first input's) and one input per channel, as written. */
export interface ChannelTableRow {
  /** Where the list gives the case, for messages: "line 3" (CSV) or "case 2" (JSON). */
  readonly where: string;
  readonly name?: string;
  readonly channels: readonly { readonly name: string; readonly input: string }[];
}

/** Splits one CSV line into fields: commas separate, double quotes enclose a field that holds commas ("" is a quote). */
function csvFields(line: string, file: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let n = 0; n < line.length; n++) {
    const c = line[n]!;
    if (quoted) {
      if (c === '"' && line[n + 1] === '"') {
        field += '"';
        n++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  if (quoted) throw new AxialError('CLI_USAGE', `line ${lineNumber} has a quote that is not closed`, { file });
  fields.push(field.trim());
  return fields;
}

function fromCsv(text: string, file: string): ChannelTableRow[] {
  const lines = text.split(/\r?\n/).map((line, n) => ({ line, number: n + 1 }));
  const rows = lines.filter(({ line }) => line.trim().length > 0 && !line.trimStart().startsWith('#'));
  const header = rows.shift();
  if (!header) throw new AxialError('CLI_USAGE', 'the case list is empty: it needs a header row naming the channels', { file });
  const columns = csvFields(header.line, file, header.number);
  const caseColumn = columns.findIndex((c) => c.toLowerCase() === 'case');
  return rows.map(({ line, number }) => {
    const fields = csvFields(line, file, number);
    if (fields.length !== columns.length) {
      throw new AxialError('CLI_USAGE', `line ${number} has ${fields.length} fields, the header ${columns.length}`, { file });
    }
    // An empty cell would resolve to the list's own folder and be scanned as the channel.
    const empty = columns.findIndex((_, c) => c !== caseColumn && fields[c] === '');
    if (empty >= 0) throw new AxialError('CLI_USAGE', `line ${number}: no path for column ${columns[empty]}`, { file });
    const channels = columns.flatMap((name, c) => (c === caseColumn ? [] : [{ name, input: fields[c]! }]));
    return { where: `line ${number}`, ...(caseColumn >= 0 && fields[caseColumn] ? { name: fields[caseColumn] } : {}), channels };
  });
}

function fromJson(text: string, file: string): ChannelTableRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AxialError('CLI_USAGE', `the case list is not JSON: ${(error as Error).message}`, { file });
  }
  if (!Array.isArray(parsed)) throw new AxialError('CLI_USAGE', 'the case list must be a JSON array of objects, one per case', { file });
  return parsed.map((item: unknown, n) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new AxialError('CLI_USAGE', `case ${n + 1} is not an object of channel: path`, { file });
    }
    const entries = Object.entries(item as Record<string, unknown>);
    const bad = entries.find(([, v]) => typeof v !== 'string' || v.trim().length === 0);
    if (bad) throw new AxialError('CLI_USAGE', `case ${n + 1}: "${bad[0]}" must be a path`, { file });
    const name = entries.find(([k]) => k.toLowerCase() === 'case')?.[1] as string | undefined;
    const channels = entries.filter(([k]) => k.toLowerCase() !== 'case').map(([k, v]) => ({ name: k, input: v as string }));
    return { where: `case ${n + 1}`, ...(name ? { name } : {}), channels };
  });
}

/**
 * Reads a multi-sequence batch: a CSV file with a header row naming the channels (`case,t1c,t1,t2,flair`; the
 * `case` column is optional) and one case per row, or a JSON array of objects (`[{"case": "p1", "t1c": ...}]`).
 * Relative paths are relative to the list's folder; blank lines and lines starting with # are skipped in a CSV.
 * @throws AxialError INPUT_NOT_FOUND when the file cannot be read; INPUT_TOO_LARGE past 64 MiB; CLI_USAGE when it is
 *   malformed, a case has no channels, a path is empty, or a case name is not one plain file-name part (checkCaseName).
 */
export async function readChannelTable(file: string): Promise<ChannelTableRow[]> {
  const text = await readCaseListText(file);
  const rows = /\.json$/i.test(file) ? fromJson(text, file) : fromCsv(text, file);
  return rows.map((row) => {
    if (row.channels.length === 0) throw new AxialError('CLI_USAGE', `${row.where} names no channel`, { file });
    if (row.name !== undefined) checkCaseName(row.name, file, row.where);
    return { ...row, channels: row.channels.map((c) => ({ name: c.name, input: resolve(dirname(file), c.input) })) };
  });
}
