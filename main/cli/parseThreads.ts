import { AxialError } from '../errors/AxialError.js';

/** The line every command's usage gives for `--threads`. */
export const threadsUsage = '--threads N  threads that decode compressed DICOM frames (default: one per core; 1 decodes without workers)';

/**
 * The value of `--threads`: undefined when absent (one per core, chosen where the pool starts).
 * @throws AxialError CLI_USAGE for anything but a whole number from 1.
 */
export function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const threads = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(threads) || threads < 1) {
    throw new AxialError('CLI_USAGE', `--threads must be a whole number from 1, got "${value}"`);
  }
  return threads;
}
