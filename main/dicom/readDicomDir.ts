import { dirname, join } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { createFileIdResolver, type ResolvedFileId } from './createFileIdResolver.js';
import type { SkippedFile } from './DicomInstance.js';
import type { FoundFile } from './FoundFile.js';
import { parseDicomBytes } from './parseDicomBytes.js';

/** The files a DICOMDIR lists that are there, and what became of the others. */
export interface DicomDirFiles {
  readonly files: FoundFile[];
  /** The references missing, ambiguous or refused, each with why: they join the scan's skipped files. */
  readonly skipped: SkippedFile[];
}

type Unresolved = Exclude<ResolvedFileId, { kind: 'found' }>;

/**
 * The image files a DICOMDIR's directory records point to (ReferencedFileID, relative to its folder), found
 * as createFileIdResolver finds them. A reference that is missing, ambiguous, or leaves the folder (by `..`,
 * an absolute path or a symbolic link: a DICOMDIR on removable media must not make Axial read files
 * elsewhere) is skipped, and listed with why.
 * @throws AxialError DICOM_NO_IMAGES when none of the files it lists is there (or it lists none);
 *   INPUT_PATH_OUTSIDE_FOLDER or INPUT_UNREADABLE, the first reference's, when every one was refused;
 *   the DICOMDIR's parse error.
 */
export async function readDicomDir(path: string, size: number): Promise<DicomDirFiles> {
  const dataSet = parseDicomBytes(await readFileRegion(path, 0, size), path);
  const records = dataSet.elements.x00041220?.items ?? [];
  const resolve = createFileIdResolver(path);
  const files: FoundFile[] = [];
  const unresolved: Unresolved[] = [];
  let listed = 0;
  for (const record of records) {
    const id = record.dataSet?.string('x00041500');
    if (!id) continue;
    listed++;
    const resolved = await resolve(id);
    if (resolved.kind === 'found') files.push(resolved.file);
    else unresolved.push(resolved);
  }
  if (listed === 0) throw new AxialError('DICOM_NO_IMAGES', 'the DICOMDIR lists no files', { file: path });
  const summary = `DICOMDIR lists ${listed} file${listed === 1 ? '' : 's'}; ${summarise(unresolved)}`;
  if (files.length === 0) {
    const refused = unresolved.filter((u) => u.kind === 'refused');
    if (refused.length === unresolved.length) throw refused[0]!.error;
    throw new AxialError('DICOM_NO_IMAGES', `the files this DICOMDIR references are missing: ${summary}`, { file: path });
  }
  return { files, skipped: unresolved.map((u) => skippedOf(u, path)) };
}

function skippedOf(unresolved: Unresolved, dicomDir: string): SkippedFile {
  // A refused reference names a place outside the folder: the DICOMDIR stands for it, and the reason quotes it.
  if (unresolved.kind === 'refused') return { file: dicomDir, reason: unresolved.error.message.replace(`${dicomDir}: `, '') };
  const file = join(dirname(dicomDir), ...unresolved.id.split('/'));
  if (unresolved.kind === 'missing') return { file, reason: 'listed in the DICOMDIR, not on the disc' };
  return { file, reason: `listed in the DICOMDIR; ${unresolved.matches.join(' and ')} both match it when case is ignored, so neither is read` };
}

/** "3 are missing, e.g. P1/S1/IM00001; 1 is refused: …", one clause per kind. */
function summarise(unresolved: readonly Unresolved[]): string {
  const clauses: string[] = [];
  const of = <K extends Unresolved['kind']>(kind: K): Extract<Unresolved, { kind: K }>[] =>
    unresolved.filter((u): u is Extract<Unresolved, { kind: K }> => u.kind === kind);
  const count = (n: number): string => `${n} ${n === 1 ? 'is' : 'are'}`;
  const missing = of('missing');
  if (missing.length > 0) clauses.push(`${count(missing.length)} missing, e.g. ${missing[0]!.id}`);
  const ambiguous = of('ambiguous');
  if (ambiguous.length > 0) {
    const first = ambiguous[0]!;
    clauses.push(`${count(ambiguous.length)} skipped as ambiguous, e.g. ${first.id}, which matches ${first.matches.join(' and ')} when case is ignored`);
  }
  const refused = of('refused');
  if (refused.length > 0) {
    const first = refused[0]!.error;
    clauses.push(`${count(refused.length)} skipped as refused, e.g. ${first.message.replace(`${first.file}: `, '')}`);
  }
  return clauses.join('; ');
}
