import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { resolveInsideFolder } from '../io/resolveInsideFolder.js';
import { parseDicomBytes } from './parseDicomBytes.js';

export interface FoundFile {
  readonly path: string;
  readonly size: number;
}

/**
 * The files to look at for an input: the file itself; every regular file under a
 * folder (recursively, hidden files, symbolic links, FIFOs and devices left out); or
 * the files a DICOMDIR lists, which must lie inside the DICOMDIR's folder.
 * @throws AxialError INPUT_NOT_FOUND, INPUT_UNREADABLE, INPUT_NOT_A_FILE (a FIFO, device or
 *   socket, which would block or never end), INPUT_PATH_OUTSIDE_FOLDER (a DICOMDIR reference
 *   out of its folder), or the DICOMDIR's parse error.
 */
export async function findDicomFiles(input: string): Promise<FoundFile[]> {
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
    const code = error.code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new AxialError(code, error.code === 'ENOENT' ? 'no such file or folder' : error.message, { file: input });
  });
  if (info.isDirectory()) return walk(input);
  if (!info.isFile()) throw new AxialError('INPUT_NOT_A_FILE', 'not a regular file or a folder (a FIFO, device or socket is never read)', { file: input });
  if (basename(input).toUpperCase() === 'DICOMDIR') return readDicomDir(input, info.size);
  return [{ path: input, size: info.size }];
}

async function walk(folder: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: Error) => {
    throw new AxialError('INPUT_UNREADABLE', error.message, { file: folder });
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  // Hidden files, and Axial's own measurement sidecars (*.axial-measurements.json), are not images.
  const kept = entries.filter((entry) => !entry.name.startsWith('.') && !entry.name.endsWith('.axial-measurements.json'));
  // The files' sizes are asked for several at once: one stat after another took 20-40 ms for 300 files.
  const sizes = await mapInBatches(kept, (entry) =>
    entry.isFile()
      ? // A file removed while the folder is walked is simply not there.
        stat(join(folder, entry.name)).then(
          (info) => (info.isFile() ? info.size : undefined),
          () => undefined,
        )
      : Promise.resolve(undefined),
  );
  for (const [i, entry] of kept.entries()) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (sizes[i] !== undefined) found.push({ path, size: sizes[i] });
  }
  return found;
}

const statsAtOnce = 32;

async function mapInBatches<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += statsAtOnce) results.push(...(await Promise.all(items.slice(start, start + statsAtOnce).map(map))));
  return results;
}

/**
 * The image files a DICOMDIR's directory records point to (ReferencedFileID, relative to its
 * folder). A reference that leaves the folder, by `..`, an absolute path or a symbolic link, is
 * refused: a DICOMDIR on removable media must not make Axial read files elsewhere.
 */
async function readDicomDir(path: string, size: number): Promise<FoundFile[]> {
  const dataSet = parseDicomBytes(await readFileRegion(path, 0, size), path);
  const records = dataSet.elements.x00041220?.items ?? [];
  const files: FoundFile[] = [];
  for (const record of records) {
    const id = record.dataSet?.string('x00041500');
    if (!id) continue;
    const name = join(...id.split('\\').map((part) => part.trim()));
    try {
      await resolveInsideFolder({ folder: dirname(path), name, file: path, what: `ReferencedFileID ${JSON.stringify(id)}` });
    } catch (error) {
      // A reference to nothing is skipped, as a DICOMDIR listing a file the media lacks; one that leads out is refused.
      if (isAxialError(error) && error.code === 'INPUT_NOT_FOUND') continue;
      throw error;
    }
    const file = join(dirname(path), name);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) files.push({ path: file, size: info.size });
  }
  return files;
}
