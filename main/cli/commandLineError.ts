import { AxialError, isAxialError, type AxialErrorCode } from '../errors/AxialError.js';

/** Engine errors that mean a mistake on the command line: which series (--series) or where to click (--point). */
const usageCodes: ReadonlySet<AxialErrorCode> = new Set(['INPUT_SEVERAL_SERIES', 'CLICK_INVALID']);

/**
 * The command line's form of an engine error that a command-line argument must fix: the same message as a usage
 * error (CLI_USAGE, exit code 2), as the CLI has always reported an input whose series must be chosen on the command
 * line, and a --point outside the scan. Any other error is returned as it is.
 */
export function commandLineError(error: unknown): unknown {
  if (!isAxialError(error) || !usageCodes.has(error.code)) return error;
  // An error relayed from the inference process has its file only in the message; one thrown here keeps it apart.
  const message = error.file === undefined ? error.message : error.message.slice(`${error.file}: `.length);
  return new AxialError('CLI_USAGE', message, { file: error.file, cause: error });
}
