import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
 * output, and --skip-existing would take every input for a finished case. So is an --out-dir that is a case's folder
 * (a DICOM series a list names) or inside one: the outputs would be read as part of that case the next time. The
 * folders are compared by identity, so a symlink or a bind mount is caught too.
 * @throws AxialError OUTPUT_IS_INPUT when --out-dir is the batch folder, or is or is inside a folder among `inputs`;
 *   OUTPUT_WRITE_FAILED naming the folder when it cannot be made (a file in its place or in its path, a link to
 *   nothing, no permission).
 */
export async function makeBatchOutDir(outDir: string, batch: string, inputs: readonly string[] = []): Promise<void> {
  const batchIsFolder = (await stat(batch).catch(() => undefined))?.isDirectory() ?? false;
  const outId = await fileIdentity(outDir);
  if (batchIsFolder && outId !== undefined && outId === (await fileIdentity(batch))) {
    throw new AxialError('OUTPUT_IS_INPUT', `--out-dir is the batch folder ${batch}: its outputs would mix with its inputs; name another folder`, {
      file: outDir,
    });
  }
  await refuseCaseFolder(outDir, inputs);
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

/**
 * @throws AxialError OUTPUT_IS_INPUT when `outDir`, or a folder above it, is one of the folders among `inputs`.
 */
async function refuseCaseFolder(outDir: string, inputs: readonly string[]): Promise<void> {
  const folders = new Map<string, string>();
  for (const input of inputs) {
    const info = await stat(input, { bigint: true }).catch(() => undefined);
    const id = info?.isDirectory() ? await fileIdentity(input, info) : undefined;
    if (id !== undefined && !folders.has(id)) folders.set(id, input);
  }
  if (folders.size === 0) return;
  for (const folder of await outDirAndAbove(outDir)) {
    const input = folders.get((await fileIdentity(folder)) ?? '');
    if (input === undefined) continue;
    const where = folder === resolve(outDir) ? 'is' : 'is inside';
    throw new AxialError(
      'OUTPUT_IS_INPUT',
      `--out-dir ${where} the case folder ${input}: its outputs would be read as part of that case; name another folder`,
      {
        file: outDir,
      },
    );
  }
}

/**
 * `outDir`, if it is there, and every folder above it, up to the root, through the real path of the nearest one that
 * is there (a symlink in the path leads to the folders the outputs really land in).
 */
async function outDirAndAbove(outDir: string): Promise<string[]> {
  let nearest = resolve(outDir);
  while ((await stat(nearest).catch(() => undefined)) === undefined && dirname(nearest) !== nearest) nearest = dirname(nearest);
  const folders = nearest === resolve(outDir) ? [nearest] : [];
  let folder = await realpath(nearest).catch(() => nearest);
  for (;;) {
    folders.push(folder);
    if (dirname(folder) === folder) return folders;
    folder = dirname(folder);
  }
}
