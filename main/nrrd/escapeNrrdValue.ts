/**
 * A value made safe for one NRRD `key:=value` line, escaped as Teem's _nrrdKeyValueWrite does: `\` becomes `\\`,
 * a line break `\n`, and the other line-ending white space (CR, vertical tab, form feed) a space, so a value can
 * never end its line or add a field. {@link unescapeNrrdValue} undoes it.
 */
export function escapeNrrdValue(value: string): string {
  return value.replace(/[\\\n\r\v\f]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : ' '));
}
