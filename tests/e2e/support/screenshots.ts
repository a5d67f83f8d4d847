import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../repoRoot.js';
import type { ViewerPage } from '../pages/ViewerPage.js';

/** Test output (gitignored). */
export const screenshotDir = join(repoRoot, 'test-results', 'e2e');
/** The README's pictures; refreshed only when AXIAL_UPDATE_SCREENSHOTS=1, so a test run leaves the tree clean. */
export const docsScreenshotDir = join(repoRoot, 'docs', 'screenshots');
const docsLimitBytes = 300 * 1024;

/**
 * Saves the window as test-results/e2e/<name>.png; with `publish` and
 * AXIAL_UPDATE_SCREENSHOTS=1 also as docs/screenshots/<name>.png.
 * @throws Error when a picture meant for the docs is 300 KB or more.
 */
export async function saveScreenshot(viewer: ViewerPage, name: string, publish = false): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await viewer.screenshot(path);
  if (publish && process.env['AXIAL_UPDATE_SCREENSHOTS'] === '1') {
    const size = statSync(path).size;
    if (size >= docsLimitBytes) throw new Error(`${path} is ${size} bytes; the README's pictures stay under ${docsLimitBytes}`);
    mkdirSync(docsScreenshotDir, { recursive: true });
    copyFileSync(path, join(docsScreenshotDir, `${name}.png`));
  }
  return path;
}
