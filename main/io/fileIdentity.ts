import type { BigIntStats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * What a file or folder is, whatever path reaches it: its device and inode after symlinks, so a symlinked path, a
 * hard link or a bind mount of a folder gives that file's identity (path text cannot tell). Where the file system
 * reports no inode (0), its real path stands in. Undefined when nothing is there. `stats`, where the caller already
 * has them (from `stat(path, { bigint: true })`), save a second stat.
 */
export async function fileIdentity(path: string, stats?: BigIntStats): Promise<string | undefined> {
  const info = stats ?? (await stat(path, { bigint: true }).catch(() => undefined));
  if (!info) return undefined;
  if (info.ino !== 0n) return `${info.dev}:${info.ino}`;
  return `path:${await realpath(path).catch(() => resolve(path))}`;
}
