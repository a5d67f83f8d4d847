import { AxialError, isAxialError } from '../errors/AxialError.js';

/**
 * The command line's form of the engine's INPUT_SEVERAL_SERIES: the same message as a usage error (CLI_USAGE,
 * exit code 2), as the CLI has always reported an input whose series must be chosen on the command line.
 * Any other error is returned as it is.
 */
export function severalSeriesAsUsage(error: unknown): unknown {
  if (!isAxialError(error) || error.code !== 'INPUT_SEVERAL_SERIES') return error;
  // An error relayed from the inference process has its file only in the message; one thrown here keeps it apart.
  const message = error.file === undefined ? error.message : error.message.slice(`${error.file}: `.length);
  return new AxialError('CLI_USAGE', message, { file: error.file, cause: error });
}
