import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';

/**
 * Writes `chunks` to a temporary file beside `path`, flushes it, then renames
 * it over `path`, so a reader never sees a half-written file.
 * @throws AxialError OUTPUT_IS_INPUT when `path` is one of `inputs`; OUTPUT_WRITE_FAILED on I/O errors.
 */
export async function writeFileAtomic(
  path: string,
  chunks: readonly Uint8Array[],
  inputs: readonly string[] = [],
): Promise<void> {
  const target = resolve(path);
  if (inputs.some((input) => resolve(input) === target)) {
    throw new AxialError('OUTPUT_IS_INPUT', 'refusing to write over an input file', { file: path });
  }
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      for (const chunk of chunks) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new AxialError('OUTPUT_WRITE_FAILED', `cannot write: ${(error as Error).message}`, { file: path, cause: error });
  }
}
