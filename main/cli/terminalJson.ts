import { unsafeAboveAscii } from './terminalText.js';

/*
 * JSON.stringify escapes C0 controls but writes DEL, C1 controls, bidi controls and the line separators raw.
 * These occur only inside strings (JSON's own syntax is ASCII), where \uXXXX is the same character, so escaping
 * them keeps the document valid and every value exact while no raw control byte reaches the terminal.
 */
const unescaped = new RegExp(`[${unsafeAboveAscii}]`, 'gu');

/** JSON.stringify (indented by two) with every control character escaped: safe on a terminal, the same data to a parser. */
export function terminalJson(value: object): string {
  return JSON.stringify(value, null, 2).replace(unescaped, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
