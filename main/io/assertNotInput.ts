import type { BigIntStats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { findNrrdDataFiles } from '../nrrd/findNrrdDataFiles.js';
import { fileIdentity } from './fileIdentity.js';

/** A path about to be written: the output itself, or the temporary file beside it. */
export interface WriteTarget {
  readonly path: string;
  /** How the message names it: `the output` or `its temporary file`. */
  readonly role: string;
}

/** The largest number of stats in flight at once: a DICOM series may hold thousands of files. */
const parallelStats = 64;

/**
 * Refuses a write whose target is the same file as one of `inputs`, judged by
 * identity (device and inode, after symlinks) rather than by path text: a path
 * through a symlinked folder, a hard link, or a differently-cased name on a
 * case-insensitive file system all name the input's own bytes. Where either
 * file is missing, or its file system reports no inode (0), their real
 * locations (the folder's realpath and the name) are compared instead.
 * A NRRD header among the inputs brings its detached data files with it, so
 * no caller can forget them. `targets` default to the output alone.
 * @throws AxialError OUTPUT_IS_INPUT naming the output and the input it is.
 */
export async function assertNotInput(output: string, inputs: readonly string[], targets?: readonly WriteTarget[]): Promise<void> {
  if (inputs.length === 0) return;
  const all = [...inputs, ...(await detachedDataFiles(inputs))];
  const checked = await Promise.all(
    (targets ?? [{ path: output, role: 'the output' }]).map(async (target) => ({ target, stats: await statOrUndefined(target.path) })),
  );
  for (let start = 0; start < all.length; start += parallelStats) {
    const batch = all.slice(start, start + parallelStats);
    const stats = await Promise.all(batch.map(statOrUndefined));
    for (const [n, input] of batch.entries()) {
      for (const { target, stats: targetStats } of checked) {
        if (await sameFile(target.path, targetStats, input, stats[n])) {
          throw new AxialError('OUTPUT_IS_INPUT', refusal(target, input, stats[n]), { file: output });
        }
      }
    }
  }
}

/**
 * The data files the NRRD headers among `inputs` name. A header that cannot name them (malformed, or pointing
 * out of its folder) was refused by the reader too, so nothing was read from them and they add nothing here.
 */
async function detachedDataFiles(inputs: readonly string[]): Promise<string[]> {
  const headers = inputs.filter((input) => /\.(nhdr|nrrd)$/i.test(input));
  const named = await Promise.all(headers.map((header) => findNrrdDataFiles(header).catch(() => [] as string[])));
  return named.flat();
}

async function statOrUndefined(path: string): Promise<BigIntStats | undefined> {
  return stat(path, { bigint: true }).catch(() => undefined);
}

async function sameFile(a: string, aStats: BigIntStats | undefined, b: string, bStats: BigIntStats | undefined): Promise<boolean> {
  if (aStats && bStats) return (await fileIdentity(a, aStats)) === (await fileIdentity(b, bStats));
  // One there and one not: two files. (The common case, a new output, so a long series costs no realpath per file.)
  if (aStats || bStats) return false;
  const [realA, realB] = await Promise.all([realLocation(a), realLocation(b)]);
  return realA === realB;
}

/** The realpath of a file, or for one not there (yet), its folder's realpath and its name. */
async function realLocation(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => undefined);
  if (real !== undefined) return real;
  const folder = await realpath(dirname(absolute)).catch(() => dirname(absolute));
  return join(folder, basename(absolute));
}

function refusal(target: WriteTarget, input: string, stats: BigIntStats | undefined): string {
  const where = stats === undefined || stats.ino === 0n ? 'the same real path' : `device ${stats.dev}, inode ${stats.ino}`;
  // Say how two different paths met, since the user typed a path that looks like another file.
  const how = resolve(target.path) === resolve(input) ? '' : ', reached through a link, a symlinked folder or another spelling of its name';
  return `refusing to write: ${target.role} is the input file ${input} (the same file: ${where}${how}); the input is left unchanged`;
}
