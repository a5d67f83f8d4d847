import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository, whether this runs from source or from dist/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json')) ? '..' : '../..');

/** Folder of the CEO-provided real test data, beside the checkout. */
export const sharedDataRoot = resolve(repoRoot, '..', 'shared', 'data');

/** Path of a file under ../shared/data. */
export function sharedData(relative: string): string {
  return join(sharedDataRoot, relative);
}

/** Whether ../shared/data is present; specs that need it are skipped with this reason when not. */
export const hasSharedData = existsSync(sharedDataRoot);
export const noSharedDataReason = `real test data not found at ${sharedDataRoot}`;
