/**
 * A NRRD `key:=value` value as written, unescaped as Teem's airUnescape does: `\\` becomes `\` and `\n` a line
 * break, left to right; any other backslash stays as it is.
 */
export function unescapeNrrdValue(text: string): string {
  return text.replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}
