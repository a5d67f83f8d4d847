import { AxialError } from '../errors/AxialError.js';
import type { NrrdFields } from './parseNrrdFields.js';

/**
 * More names than this is a hostile header, not a volume: each name costs a path lookup before anything is read.
 * A 4-D series of 65536 single-volume files is far beyond what Axial opens.
 */
const maxDataFiles = 65536;

/** A header's detached data files: how the field names them, and the names as written. */
export interface NrrdDataFiles {
  /** `single` for one name, `list` for `LIST`, `range` for the printf-style form; `attached` for none. */
  readonly form: 'attached' | 'single' | 'list' | 'range';
  /** In the order their data follows; empty when attached. */
  readonly names: readonly string[];
}

/**
 * The detached data files a NRRD header names, as written (relative to the header's folder, or absolute), in
 * the order their data follows: the single name, the names after `LIST`, or the names a printf-style
 * `<format> <min> <max> <step> [<subdim>]` form generates; none when the data is attached.
 * @param path The header's file, named in errors.
 * @throws AxialError NRRD_BAD_HEADER for an empty LIST, a format without one integer conversion, a zero step,
 *   a range that names no file or more than 65536 files.
 */
export function parseNrrdDataFiles({ fields, listedFiles }: NrrdFields, path: string): NrrdDataFiles {
  const value = fields.get('datafile');
  if (!value) return { form: 'attached', names: [] };
  const fail = (message: string): never => {
    throw new AxialError('NRRD_BAD_HEADER', `data file '${value}': ${message}`, { file: path });
  };
  if (/^LIST(\s|$)/.test(value)) {
    if (listedFiles.length === 0) fail('LIST names no file on the lines after it');
    if (listedFiles.length > maxDataFiles) fail(`LIST names ${listedFiles.length} files, over ${maxDataFiles}`);
    return { form: 'list', names: [...listedFiles] };
  }
  const form = /^(.*%.*?)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)(?:\s+\d+)?$/.exec(value);
  if (!form) return { form: 'single', names: [value] };
  const [min, max, step] = [form[2], form[3], form[4]].map(Number) as [number, number, number];
  if (step === 0) fail('step 0');
  const count = Math.floor((max - min) / step) + 1;
  if (!(count >= 1)) fail(`${min} to ${max} by ${step} names no file`);
  if (count > maxDataFiles) fail(`names ${count} files, over ${maxDataFiles}`);
  const format = parseFormat(form[1]!) ?? fail('the format needs exactly one %d, %i or %u');
  return { form: 'range', names: Array.from({ length: count }, (_, i) => format(min + i * step)) };
}

/** A printf format with one integer conversion (`%03d`, `%-4i`, `%u`) and `%%` literals, as a function of the number. */
function parseFormat(format: string): ((n: number) => string) | undefined {
  const parts = format.split(/(%%|%[-0+ ]*\d*[diu]|%)/);
  const conversions = parts.filter((p, i) => i % 2 === 1 && p !== '%%');
  if (conversions.length !== 1 || conversions[0] === '%') return undefined;
  const [, flags, width] = /^%([-0+ ]*)(\d*)/.exec(conversions[0]!)!;
  return (n) => parts.map((part, i) => (i % 2 === 0 ? part : part === '%%' ? '%' : formatInteger(n, flags!, Number(width)))).join('');
}

function formatInteger(n: number, flags: string, width: number): string {
  const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const digits = String(Math.abs(n));
  if (flags.includes('-')) return (sign + digits).padEnd(width, ' ');
  if (flags.includes('0')) return sign + digits.padStart(width - sign.length, '0');
  return (sign + digits).padStart(width, ' ');
}
