import { isAxialError } from '../errors/AxialError.js';
import type { Result } from '../../core/contract.js';

const maxMessageLength = 2000;

/**
 * Turns anything thrown into the data a call answers with: an expected
 * error's code and message, or INTERNAL with a one-line message (never a
 * stack). `unexpected` hears about errors nobody raised on purpose.
 */
export function toErrorResult(error: unknown, context: string, unexpected?: (error: unknown) => void): Result<never> {
  if (isAxialError(error)) {
    return { ok: false, error: { code: error.code, message: error.message.slice(0, maxMessageLength) } };
  }
  unexpected?.(error);
  const said = error instanceof Error ? error.message : String(error);
  const firstLine = said.split(/\r?\n/, 1)[0]!.slice(0, 200);
  return { ok: false, error: { code: 'INTERNAL', message: `${context} failed unexpectedly: ${firstLine}` } };
}
