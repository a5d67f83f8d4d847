import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './repoRoot.js';

/**
 * The project's shared real test data (DICOM series, NIfTI and NRRD volumes, label maps, DICOM SEG files, models):
 * the folder `shared/data` beside the checkout, `../shared/data`. It is kept out of the repository for its size.
 */
export const sharedDataRoot = resolve(repoRoot, '..', 'shared', 'data');

/** Path of a file under ../shared/data. */
export function sharedData(relative: string): string {
  return join(sharedDataRoot, relative);
}

/**
 * Whether the shared real test data is at `root`. Where it is absent, specs that need it are skipped on a
 * developer's machine; under CI (`CI=true`) a run without it must fail rather than pass on skipped specs.
 * @throws Error under CI when `root` is absent: every spec that imports this module then fails to load.
 */
export function checkSharedData(root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(root)) return true;
  if (env.CI === 'true') {
    throw new Error(`the project's shared real test data is missing at ${root}; CI=true requires it, so the specs that need it fail instead of being skipped`);
  }
  return false;
}

/** Whether ../shared/data is present; specs that need it are skipped when not (and fail to load under CI). */
export const hasSharedData = checkSharedData(sharedDataRoot);
/** For spec titles: says where the data comes from, or why the spec was skipped. */
export const noSharedDataReason = hasSharedData ? 'real data from ../shared/data' : `SKIPPED: real test data not found at ${sharedDataRoot}`;
