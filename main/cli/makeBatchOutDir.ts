import { mkdir, stat } from 'node:fs/promises';
import { AxialError } from '../errors/AxialError.js';
import { fileIdentity } from '../io/fileIdentity.js';

/** Why a folder cannot be made, in plain words, by the system's error code. */
const reasons: Readonly<Record<string, string>> = {
  EEXIST: 'something that is not a folder is already there',
  ENOTDIR: 'part of its path is a file, not a folder',
  ENOENT: 'part of its path is missing or a link to nothing',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
};

/**
 * Makes a batch's --out-dir (and the folders above it), once its cases are known and before any runs. A batch folder
 * given as its own --out-dir is refused: its outputs would land among the inputs, a .nii.gz input would be its own
 * output, and --skip-existing would take every input for a finished case. The folders are compared by identity, so
 * a symlink or a bind mount of the batch folder is caught too.
 * @throws AxialError OUTPUT_IS_INPUT when --out-dir is the batch folder; OUTPUT_WRITE_FAILED naming the folder when
 *   it cannot be made (a file in its place or in its path, a link to nothing, no permission).
 */
export async function makeBatchOutDir(outDir: string, batch: string): Promise<void> {
  const batchIsFolder = (await stat(batch).catch(() => undefined))?.isDirectory() ?? false;
  const outId = await fileIdentity(outDir);
  if (batchIsFolder && outId !== undefined && outId === (await fileIdentity(batch))) {
    throw new AxialError('OUTPUT_IS_INPUT', `--out-dir is the batch folder ${batch}: its outputs would mix with its inputs; name another folder`, {
      file: outDir,
    });
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = reasons[code] ?? (error as Error).message;
    throw new AxialError('OUTPUT_WRITE_FAILED', `cannot make the output folder (--out-dir): ${reason}${code ? ` (${code})` : ''}`, {
      file: outDir,
      cause: error,
    });
  }
}
