import { AxialError } from '../errors/AxialError.js';

/** A read's failure as a coded error: ours (INPUT_NOT_A_FILE) as it is, the system's as INPUT_UNREADABLE naming the file. */
export function unreadable(error: unknown, file: string): AxialError {
  if (error instanceof AxialError) return error;
  return new AxialError('INPUT_UNREADABLE', `cannot read: ${(error as Error).message}`, { file, cause: error });
}
