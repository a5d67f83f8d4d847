import type { Result } from '../../core/contract.js';
import { withDetails } from '../display/statusDetails.js';
import { plainReasons } from './plainReasons.js';

/** A call to main answered `{ ok: false }`: its code and message, as data. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/**
 * Awaits a call to main and returns its value.
 * @throws ApiCallError when main answered with an error.
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call;
  if (result.ok) return result.value;
  throw new ApiCallError(result.error.code, result.error.message);
}

/**
 * An error as one sentence for the user, never a stack trace: `what` says
 * what failed ("Could not open the scan"), then the reason. An error whose
 * code has a plain reason (plainReasons) is told in those words, and main's
 * own message follows on the next line, for the banner's Details (see
 * withDetails); any other error gives its first line.
 */
export function describeError(what: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const lines = reason.split('\n').filter((line) => !/^\s*at\s/.test(line));
  const plain = error instanceof ApiCallError ? plainReasons[error.code] : undefined;
  if (plain !== undefined) return withDetails(`${what}: ${plain}.`, lines);
  const firstLine = lines[0]?.trim() ?? '';
  return firstLine ? `${what}: ${firstLine}` : `${what}.`;
}
