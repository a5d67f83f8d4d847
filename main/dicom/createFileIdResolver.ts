import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isAxialError, type AxialError } from '../errors/AxialError.js';
import { resolveInsideFolder } from '../io/resolveInsideFolder.js';
import type { FoundFile } from './FoundFile.js';

/** Where a DICOMDIR's ReferencedFileID leads. `id` is the reference as a path, its components joined by "/". */
export type ResolvedFileId =
  | { readonly kind: 'found'; readonly id: string; readonly file: FoundFile }
  | { readonly kind: 'missing'; readonly id: string }
  /** Several entries of one folder match a component once case and `;1` are ignored, and none exactly. */
  | { readonly kind: 'ambiguous'; readonly id: string; readonly matches: readonly string[] }
  /** It leads out of the DICOMDIR's folder, or through a link that cannot be followed. */
  | { readonly kind: 'refused'; readonly id: string; readonly error: AxialError };

type EntryMatch = string | { readonly ambiguous: readonly string[] } | undefined;

/** A folder's entries, looked up as exactly named, then without a `;1` version, then ignoring case too. */
interface FolderIndex {
  readonly exact: ReadonlySet<string>;
  readonly unversioned: ReadonlyMap<string, readonly string[]>;
  readonly folded: ReadonlyMap<string, readonly string[]>;
}

const withoutVersion = (name: string): string => name.replace(/;\d+$/, '');
const folded = (name: string): string => withoutVersion(name).toUpperCase();

/**
 * A resolver of the ReferencedFileIDs (components split by "\") of the DICOMDIR at `dicomDir`, to files inside
 * its folder. The name as written is tried first; where it is absent, each component is matched against its
 * folder's real entries, ignoring case and an ISO 9660 version (`IM00001;1`): a CD mounted on Linux may show
 * `p1/s1/im00001` or `IM00001;1` for the DICOMDIR's `P1\S1\IM00001`. Every folder listed and every file found
 * passes resolveInsideFolder, so neither `..` nor a symbolic link leads the lookup out of the folder. Folder
 * listings are kept for the resolver's life: a disc lists thousands of files in a few folders.
 */
export function createFileIdResolver(dicomDir: string): (fileId: string) => Promise<ResolvedFileId> {
  const folder = dirname(dicomDir);
  const indexes = new Map<string, Promise<FolderIndex | undefined>>();
  const indexOf = (relative: string): Promise<FolderIndex | undefined> => {
    let index = indexes.get(relative);
    if (index === undefined) {
      index = indexFolder(folder, relative, dicomDir);
      indexes.set(relative, index);
    }
    return index;
  };
  return async (fileId) => {
    const parts = fileId
      .split('\\')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const id = parts.join('/');
    const exact = await locate(id, join(...parts), { folder, dicomDir });
    if (exact.kind !== 'missing') return exact;
    const match = await matchParts(parts, indexOf);
    if (match === undefined) return exact;
    if (typeof match !== 'string') return { kind: 'ambiguous', id, matches: match.ambiguous };
    return locate(id, match, { folder, dicomDir });
  };
}

/** The file at `name` (relative to the folder), confined to the folder. */
async function locate(id: string, name: string, where: { folder: string; dicomDir: string }): Promise<ResolvedFileId> {
  let target: string;
  try {
    target = await resolveInsideFolder({ folder: where.folder, name, file: where.dicomDir, what: 'ReferencedFileID' });
  } catch (error) {
    if (!isAxialError(error)) throw error;
    return error.code === 'INPUT_NOT_FOUND' ? { kind: 'missing', id } : { kind: 'refused', id, error };
  }
  const info = await stat(target).catch(() => undefined);
  return info?.isFile() ? { kind: 'found', id, file: { path: target, size: info.size } } : { kind: 'missing', id };
}

/** The path, relative to the folder, whose components match `parts` on disk; undefined where one matches nothing. */
async function matchParts(parts: readonly string[], indexOf: (relative: string) => Promise<FolderIndex | undefined>): Promise<EntryMatch> {
  const matched: string[] = [];
  for (const part of parts) {
    if (part === '.' || part === '..') {
      // The exact lookup already refused a path that climbs out; one that climbs back in is followed as written.
      if (part === '..' && matched.pop() === undefined) return undefined;
      continue;
    }
    const index = await indexOf(join('.', ...matched));
    const entry = index && matchEntry(part, index);
    if (typeof entry !== 'string') return entry;
    matched.push(entry);
  }
  return join('.', ...matched);
}

function matchEntry(part: string, index: FolderIndex): EntryMatch {
  if (index.exact.has(part)) return part;
  for (const [byKey, key] of [
    [index.unversioned, withoutVersion(part)],
    [index.folded, folded(part)],
  ] as const) {
    const matches = byKey.get(key) ?? [];
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) return { ambiguous: matches };
  }
  return undefined;
}

/** The entries of a folder inside the DICOMDIR's; undefined where it is missing, unreadable or leads out. */
async function indexFolder(folder: string, relative: string, dicomDir: string): Promise<FolderIndex | undefined> {
  try {
    const real = await resolveInsideFolder({ folder, name: relative, file: dicomDir, what: 'ReferencedFileID' });
    const names = (await readdir(real)).sort();
    return { exact: new Set(names), unversioned: groupBy(names, withoutVersion), folded: groupBy(names, folded) };
  } catch {
    return undefined;
  }
}

function groupBy(names: readonly string[], key: (name: string) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const group = groups.get(key(name));
    if (group) group.push(name);
    else groups.set(key(name), [name]);
  }
  return groups;
}
