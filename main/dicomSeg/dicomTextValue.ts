/** The text value representations a SEG writes from names people give (PS3.5 table 6.2-1). */
export type TextVr = 'CS' | 'SH' | 'LO' | 'PN';

/** The most characters of one value (of one component group, for PN); characters, not bytes, as PS3.5 6.2's note counts them. */
const maxCharacters: Record<TextVr, number> = { CS: 16, SH: 16, LO: 64, PN: 64 };

export interface DicomTextValue {
  /** The value as it may be written: one value, within the length, trimmed; possibly empty. */
  readonly value: string;
  /** What had to change beyond trimming and (for CS) upper case, for a warning; empty when nothing did. */
  readonly changes: readonly string[];
}

/**
 * Makes a string a valid single value of `vr`: control characters (newlines, tabs, ESC: code extensions are
 * meaningless under ISO_IR 192) become spaces, a backslash (the value separator) becomes "/", a CS is upper cased
 * and keeps only A–Z, 0–9, space and underscore ("_" for the rest), and the value is cut to the VR's most
 * characters (each of a PN's component groups to 64) and trimmed, as leading and trailing spaces mean nothing.
 */
export function dicomTextValue(text: string, vr: TextVr): DicomTextValue {
  const changes: string[] = [];
  let value = text;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) {
    changes.push('control characters replaced by spaces');
    value = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  }
  if (value.includes('\\')) {
    changes.push('backslashes replaced by "/"');
    value = value.replace(/\\/g, '/');
  }
  if (vr === 'CS') {
    value = value.toUpperCase();
    if (/[^A-Z0-9 _]/.test(value)) {
      changes.push('characters other than A-Z, 0-9, space and "_" replaced by "_"');
      value = value.replace(/[^A-Z0-9 _]/g, '_');
    }
  }
  const max = maxCharacters[vr];
  const groups = vr === 'PN' ? value.split('=').slice(0, 3) : [value];
  const cut = groups.map((group) => {
    const characters = Array.from(group.trim());
    return characters.length > max ? characters.slice(0, max).join('').trim() : characters.join('');
  });
  if (vr === 'PN' && value.split('=').length > 3) changes.push('cut to 3 component groups');
  if (cut.some((group, n) => group !== groups[n]!.trim())) changes.push(`cut to ${max} characters${vr === 'PN' ? ' a component group' : ''}`);
  return { value: cut.join('=').trim(), changes };
}
