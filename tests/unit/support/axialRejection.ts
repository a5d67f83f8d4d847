import { expect } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';

/** The AxialError `promise` rejects with; the test fails when it resolves, or rejects with anything else. */
export async function axialRejection(promise: Promise<unknown>): Promise<AxialError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxialError);
  return error as AxialError;
}
