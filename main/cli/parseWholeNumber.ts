import { AxialError } from '../errors/AxialError.js';

/**
 * The value of a whole-number option (`--volume`, `--time-point`): undefined when absent. Digits only, so an empty
 * value, a sign, a fraction, an exponent or spaces are refused rather than read as a number (`Number('')` is 0).
 * @throws AxialError CLI_USAGE naming the option and the value given.
 */
export function parseWholeNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new AxialError('CLI_USAGE', `${option} must be a whole number from 0, got "${value}"`);
  }
  return number;
}
