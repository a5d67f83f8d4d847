/** A NRRD header's `field: value` lines, and the file names that follow a `data file: LIST` line. */
export interface NrrdFields {
  /** Field names lower-cased without spaces, so `data file` and `datafile` agree, as in Teem. */
  readonly fields: ReadonlyMap<string, string>;
  /** The lines after `data file: LIST`, each a data file name; empty without a LIST. */
  readonly listedFiles: readonly string[];
}

/**
 * Splits a NRRD header's text (from the magic line up to the blank line that ends it) into its fields.
 * `key:=value` pairs and comments carry nothing a Volume holds and are skipped. As in Teem, every line after
 * `data file: LIST` is a file name, never a field.
 */
export function parseNrrdFields(text: string): NrrdFields {
  const fields = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let index = 1; index < lines.length; index++) {
    const match = /^([^#:][^:]*):(=?)(.*)$/.exec(lines[index]!);
    if (!match || match[2] === '=') continue;
    const name = match[1]!.toLowerCase().replace(/\s+/g, '');
    const value = match[3]!.trim();
    fields.set(name, value);
    if (name === 'datafile' && /^LIST(\s|$)/.test(value)) {
      return { fields, listedFiles: lines.slice(index + 1).filter((line) => line.trim() !== '') };
    }
  }
  return { fields, listedFiles: [] };
}
