import { expect } from 'vitest';
import { AxialError } from '../main/errors/AxialError.js';

/** Awaits `promise`, expects it to reject with an AxialError (of any code), and returns that error. */
export async function axialRejection(promise: Promise<unknown>): Promise<AxialError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AxialError);
  return error as AxialError;
}

/** Awaits `promise`, expects it to reject with an AxialError of `code` (and a message matching `messagePart`), and returns that error. */
export async function expectAxialError(promise: Promise<unknown>, code: string, messagePart?: RegExp): Promise<AxialError> {
  const error = await axialRejection(promise);
  expect(error.code).toBe(code);
  if (messagePart) expect(error.message).toMatch(messagePart);
  return error;
}

/** Runs `run`, expects it to throw an AxialError, and returns that error. */
export function thrownAxialError(run: () => unknown): AxialError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    return error as AxialError;
  }
  throw new Error('expected an AxialError to be thrown');
}
