import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { parseDicomBytes } from './parseDicomBytes.js';

export interface FoundFile {
  readonly path: string;
  readonly size: number;
}

/**
 * The files to look at for an input: the file itself; every file under a
 * folder (recursively, hidden files left out); or the files a DICOMDIR lists.
 * @throws AxialError INPUT_NOT_FOUND, INPUT_UNREADABLE, or the DICOMDIR's parse error.
 */
export async function findDicomFiles(input: string): Promise<FoundFile[]> {
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
    const code = error.code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new AxialError(code, error.code === 'ENOENT' ? 'no such file or folder' : error.message, { file: input });
  });
  if (info.isDirectory()) return walk(input);
  if (basename(input).toUpperCase() === 'DICOMDIR') return readDicomDir(input, info.size);
  return [{ path: input, size: info.size }];
}

async function walk(folder: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: Error) => {
    throw new AxialError('INPUT_UNREADABLE', error.message, { file: folder });
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    // Hidden files, and Axial's own measurement sidecars (*.axial-measurements.json), are not images.
    if (entry.name.startsWith('.') || entry.name.endsWith('.axial-measurements.json')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile()) found.push({ path, size: (await stat(path)).size });
  }
  return found;
}

/** The image files a DICOMDIR's directory records point to (ReferencedFileID, relative to its folder). */
async function readDicomDir(path: string, size: number): Promise<FoundFile[]> {
  const dataSet = parseDicomBytes(await readFileRegion(path, 0, size), path);
  const records = dataSet.elements.x00041220?.items ?? [];
  const files: FoundFile[] = [];
  for (const record of records) {
    const id = record.dataSet?.string('x00041500');
    if (!id) continue;
    const file = join(dirname(path), ...id.split('\\').map((part) => part.trim()));
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) files.push({ path: file, size: info.size });
  }
  return files;
}
