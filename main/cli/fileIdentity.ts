import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * What a file or folder is, whatever path reaches it: its device and inode after symlinks, so a symlinked path or a
 * bind mount of a folder gives that folder's identity (path text cannot tell). Where the file system reports no inode
 * (0), its real path stands in. Undefined when nothing is there.
 */
export async function fileIdentity(path: string): Promise<string | undefined> {
  const info = await stat(path, { bigint: true }).catch(() => undefined);
  if (!info) return undefined;
  if (info.ino !== 0n) return `${info.dev}:${info.ino}`;
  return `path:${await realpath(path).catch(() => resolve(path))}`;
}
