import { createHash, randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Who wrote a temporary file: enough to tell a dead writer of this host from a live one elsewhere. */
export interface TemporaryOwner {
  /** A short hash of the writer's host name and pid namespace (see hostTag). */
  readonly host: string;
  readonly pid: number;
}

/*
 * `.<name>.axial-<host>-<pid>-<random>.tmp`: hidden, named after its target, and carrying its writer so the next
 * write to the folder can tell a killed write of this host (dead pid) from another machine's live one on a shared
 * folder (cluster batch jobs writing into one output folder at once).
 */
const pattern = /^\..+\.axial-([0-9a-f]{8})-(\d{1,10})-[0-9a-f]{8}\.tmp$/;

/**
 * The tag of a host name and process-id namespace: a pid is only the same process within one namespace, so two
 * containers sharing a host name and an output folder must not take each other's writers for dead.
 */
export function hostTag(host: string, pidNamespace: string): string {
  return createHash('sha256')
    .update(pidNamespace === '' ? host : `${host}\0${pidNamespace}`)
    .digest('hex')
    .slice(0, 8);
}

/** Linux's id of this process's pid namespace ("pid:[4026531836]"); '' where the system has none to show. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

/** This host's (and pid namespace's) tag in temporary names. */
export const thisHost = hostTag(hostname(), pidNamespace());

/** Room left for the writer's tag within a file system's 255-byte name limit. */
const maxStemBytes = 200;

/** A fresh temporary path beside `target`, carrying this host and process. */
export function temporaryPath(target: string): string {
  return join(dirname(target), `.${stemOf(basename(target))}.axial-${thisHost}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** The target's name, cut (by code points) to fit: a 250-byte output name must still get a temporary file. */
function stemOf(name: string): string {
  if (Buffer.byteLength(name) <= maxStemBytes) return name;
  const points = Array.from(name);
  while (Buffer.byteLength(points.join('')) > maxStemBytes) points.pop();
  return points.join('');
}

/** The writer named in one of our temporary names; undefined for any other name. */
export function temporaryOwner(name: string): TemporaryOwner | undefined {
  const match = pattern.exec(name);
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}
