import { TextDecoder } from 'node:util';
import type { DataSet } from 'dicom-parser';
import { dcmjsApi } from './dcmjsApi.js';

/** Decodes the bytes of a text element (SH, LO, UC, PN, …) in its data set's character set. */
export interface DicomTextDecoder {
  /** `personName`: a PN, whose '^' and '=' also reset the character set (PS3.5 6.1.2.5.3). */
  decode(bytes: Uint8Array, options?: { personName?: boolean }): string;
}

/**
 * What an ISO 2022 escape sequence switches to (PS3.3 tables C.12-3 and C.12-4): the IR number of the defined
 * term that must be declared for it (none for ESC ( B, the default repertoire), and the WHATWG decoder of the
 * bytes after it. `whole`: the decoder takes the escape sequence itself (iso-2022-jp: JIS X 0208, two GL bytes a
 * character); `jisX0212`: GL byte pairs of JIS X 0212, read by euc-jp as 0x8F and the pair with its high bits set.
 */
const designations: readonly { readonly escape: string; readonly ir?: string; readonly label: string; readonly whole?: true; readonly jisX0212?: true }[] = [
  { escape: '\x1b(B', label: 'latin1' },
  { escape: '\x1b(J', ir: '13', label: 'shift_jis' },
  { escape: '\x1b)I', ir: '13', label: 'shift_jis' },
  { escape: '\x1b$B', ir: '87', label: 'iso-2022-jp', whole: true },
  { escape: '\x1b$(D', ir: '159', label: 'euc-jp', jisX0212: true },
  { escape: '\x1b$)C', ir: '149', label: 'euc-kr' },
  { escape: '\x1b$)A', ir: '58', label: 'gbk' },
  { escape: '\x1b-A', ir: '100', label: 'iso-8859-1' },
  { escape: '\x1b-B', ir: '101', label: 'iso-8859-2' },
  { escape: '\x1b-C', ir: '109', label: 'iso-8859-3' },
  { escape: '\x1b-D', ir: '110', label: 'iso-8859-4' },
  { escape: '\x1b-F', ir: '126', label: 'iso-8859-7' },
  { escape: '\x1b-G', ir: '127', label: 'iso-8859-6' },
  { escape: '\x1b-H', ir: '138', label: 'iso-8859-8' },
  { escape: '\x1b-L', ir: '144', label: 'iso-8859-5' },
  { escape: '\x1b-M', ir: '148', label: 'iso-8859-9' },
  { escape: '\x1b-T', ir: '166', label: 'windows-874' },
];

const ESC = 0x1b;
const backslash = 0x5c;
const equals = 0x3d;
/** What resets the character set to the first term's inside a value (PS3.5 6.1.2.5.3): CR, LF, FF, TAB; and '^' in a PN. */
const textDelimiters = new Set([0x0d, 0x0a, 0x09, 0x0c]);
const personNameDelimiters = new Set([0x5e]);

const decoders = new Map<string, TextDecoder>();
function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) decoders.set(label, (decoder = new TextDecoder(label)));
  return decoder;
}

/** A defined term's WHATWG label (dcmjs's table: ISO_IR 192 is utf-8, ISO 2022 IR 149 euc-kr, …), when this Node has it. */
function labelOf(term: string): string | undefined {
  const label = dcmjsApi().constants.encodingMapping[term.trim().replace(/[_ ]/g, '-').toLowerCase()];
  if (!label) return undefined;
  try {
    decoderFor(label);
    return label;
  } catch {
    return undefined;
  }
}

/**
 * The decoder of a data set's SpecificCharacterSet (0008,0005), PS3.5 6.1, as pydicom decodes it: bytes with no
 * escape are read in the first term's character set (ISO_IR 192 UTF-8, ISO_IR 100 Latin-1, the other ISO 8859
 * parts, ISO_IR 13 Shift JIS, GB18030, GBK; none or an unknown term: the default repertoire, read as Latin-1, its
 * superset). With ISO 2022 code extensions, a value is split at each ESC and each part read in the set its escape
 * sequence designates (PS3.5 6.1.2.5: JIS X 0208 and 0212, KS X 1001, GB 2312, JIS X 0201, the ISO 8859 G1 sets),
 * where a term declares it; a part of a single-byte or G1 set goes back to the first term's set after a delimiter
 * (CR, LF, FF, TAB; '^' in a PN), and values ('\') and a PN's component groups ('=') are decoded apart. An escape
 * sequence that no term declares leaves its part in the first term's set, as pydicom does.
 */
export function dicomTextDecoder(dataSet: DataSet): DicomTextDecoder {
  const terms = (dataSet.string('x00080005') ?? '').split('\\').map((t) => t.trim());
  const first = decoderFor(labelOf(terms[0] ?? '') ?? 'latin1');
  const declared = new Set(terms.map((t) => /IR[ _](\d+)$/.exec(t)?.[1]).filter((ir) => ir !== undefined));
  const fragment = (bytes: Uint8Array, delimiters: ReadonlySet<number>): string => {
    if (bytes[0] !== ESC) return first.decode(bytes);
    const match = designations.find((d) => d.escape.length <= bytes.length && [...d.escape].every((c, n) => bytes[n] === c.charCodeAt(0)));
    if (!match || (match.ir !== undefined && !declared.has(match.ir))) return first.decode(bytes);
    if (match.whole) return decoderFor(match.label).decode(bytes);
    const rest = bytes.subarray(match.escape.length);
    const end = rest.findIndex((b) => delimiters.has(b));
    const designated = end < 0 ? rest : rest.subarray(0, end);
    const text = decoderFor(match.label).decode(match.jisX0212 ? asEucJp(designated) : designated);
    return end < 0 ? text : text + first.decode(rest.subarray(end));
  };
  const value = (bytes: Uint8Array, delimiters: ReadonlySet<number>): string => {
    if (!bytes.includes(ESC)) return first.decode(bytes);
    const parts: string[] = [];
    for (let start = 0; start < bytes.length;) {
      const next = bytes.indexOf(ESC, start + 1);
      const end = next < 0 ? bytes.length : next;
      parts.push(fragment(bytes.subarray(start, end), delimiters));
      start = end;
    }
    return parts.join('');
  };
  return {
    decode(bytes, options = {}) {
      if (!bytes.includes(ESC)) return first.decode(bytes);
      return splitAt(bytes, backslash)
        .map((v) =>
          options.personName
            ? splitAt(v, equals)
                .map((group) => value(group, personNameDelimiters))
                .join('=')
            : value(v, textDelimiters),
        )
        .join('\\');
    },
  };
}

function splitAt(bytes: Uint8Array, delimiter: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let at = bytes.indexOf(delimiter); at >= 0; at = bytes.indexOf(delimiter, start)) {
    parts.push(bytes.subarray(start, at));
    start = at + 1;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

/** JIS X 0212 as GL byte pairs, written as EUC-JP writes it (0x8F, then the pair with high bits set). */
function asEucJp(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let n = 0; n + 1 < bytes.length; n += 2) out.push(0x8f, bytes[n]! | 0x80, bytes[n + 1]! | 0x80);
  return Uint8Array.from(out);
}
