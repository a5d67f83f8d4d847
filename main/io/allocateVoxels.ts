import { AxialError } from '../errors/AxialError.js';

/**
 * Allocates a buffer whose size has passed every check against the file, turning the engine's own refusal (a
 * RangeError when the process cannot reserve that much, as under Electron's V8 memory cage or on a small machine)
 * into a coded error naming the size, instead of an internal error.
 * @param bytes The size asked for, for the message.
 * @param file The file whose header asked for it.
 * @throws AxialError VOLUME_TOO_LARGE when the allocation fails.
 */
export function allocateVoxels<T>(allocate: () => T, bytes: number, file: string): T {
  try {
    return allocate();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new AxialError('VOLUME_TOO_LARGE', `cannot allocate ${bytes} bytes for the voxels: ${error.message}`, {
      file,
      cause: error,
    });
  }
}
