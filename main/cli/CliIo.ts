import { terminalText } from './terminalText.js';

/** Where a CLI command writes; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `io` with every line made safe for a terminal: the last guard for strings
 * read from files (descriptions, file names inside error messages), whichever
 * command prints them. Tabs and newlines are kept: messages span lines.
 */
export function terminalSafeIo(io: CliIo): CliIo {
  return {
    out: (line) => io.out(terminalText(line)),
    err: (line) => io.err(terminalText(line)),
  };
}
