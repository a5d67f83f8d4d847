/*
 * What a string read from a file may not send to a terminal: C0 controls (ESC starts the sequences that clear a
 * screen or retitle a window; CR overwrites a line), DEL, C1 controls (U+009B is a one-byte CSI on terminals that
 * honour 8-bit controls), the bidirectional embeddings, overrides, isolates and marks (which reorder what the
 * reader sees) and the Unicode line and paragraph separators. Tab and newline are judged by the caller.
 * `unsafeAboveAscii` is the part above the C0 range, which JSON.stringify leaves raw (terminalJson escapes it).
 */
export const unsafeAboveAscii = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const unsafe = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${unsafeAboveAscii}]`, 'gu');
const layout = /[\t\n]+/g;

export interface TerminalTextOptions {
  /** A field of one line (a description, a file name): tabs and newlines become a space, so no line can be forged. */
  readonly singleLine?: boolean;
}

/**
 * Text made safe to print on a terminal: every control character, DEL, C1 and
 * bidi control removed; tab and newline kept unless `singleLine`.
 */
export function terminalText(text: string, options: TerminalTextOptions = {}): string {
  const stripped = text.replace(unsafe, '');
  return options.singleLine ? stripped.replace(layout, ' ') : stripped;
}
