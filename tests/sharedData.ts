import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository, whether this runs from source or from dist/. */
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, existsSync(join(here, '..', 'package.json')) ? '..' : '../..');

/** Folder of the CEO-provided real test data, beside the checkout. */
export const sharedDataRoot = resolve(repoRoot, '..', 'shared', 'data');

/** Path of a file under ../shared/data. */
export function sharedData(relative: string): string {
  return join(sharedDataRoot, relative);
}

/** Whether ../shared/data is present; specs that need it are skipped when not. */
export const hasSharedData = existsSync(sharedDataRoot);
/** For spec titles: says where the data comes from, or why the spec was skipped. */
export const noSharedDataReason = hasSharedData
  ? 'real data from ../shared/data'
  : `SKIPPED: real test data not found at ${sharedDataRoot}`;
