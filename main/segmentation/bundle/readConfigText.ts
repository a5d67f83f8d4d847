import { readRegularFile } from '../../io/readRegularFile.js';
import { AxialError } from '../../errors/AxialError.js';

/**
 * MONAI's configs are kilobytes (a 105-class metadata.json is under 100 KB); one this big is not a config, and
 * parsing it would cost many times its size (2 MiB of YAML: 3.3 s and 500 MB).
 */
const maxConfigBytes = 2 ** 20;

/**
 * Reads a bundle file's text: a regular file (a FIFO would block the read
 * forever) of at most {@link maxConfigBytes}.
 * @throws AxialError MODEL_INVALID when it is too large; INPUT_NOT_A_FILE for a FIFO, device or folder;
 *   the open's own errno error (ENOENT, EACCES, …) for the caller to word.
 */
export async function readConfigText(file: string): Promise<string> {
  const tooLarge = (size: number): Error =>
    new AxialError('MODEL_INVALID', `a config of ${(size / 2 ** 20).toFixed(1)} MiB; Axial reads configs up to ${maxConfigBytes / 2 ** 20} MiB`, { file });
  return (await readRegularFile(file, { maxBytes: maxConfigBytes, tooLarge })).toString('utf8');
}
