import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../repoRoot.js';

/** What only the test port writes or calls: the page globals the e2e tests read and the 3D aid's timing call. */
const testAidMarkers = ['__axialViewState', '__axialView3d', 'timeReadPixels'] as const;

/**
 * The JavaScript of a built renderer, all chunks joined.
 * @throws Error naming the build to run when the folder is missing.
 */
function bundleOf(folder: string): string {
  const assets = join(repoRoot, 'dist', folder, 'assets');
  if (!existsSync(assets)) throw new Error(`no built renderer at dist/${folder}: run npm run build (or npm run build:renderer) first`);
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  if (scripts.length === 0) throw new Error(`dist/${folder}/assets holds no .js: run npm run build (or npm run build:renderer) first`);
  return scripts.map((name) => readFileSync(join(assets, name), 'utf8')).join('\n');
}

// Reads what npm run build made (npm test builds first); it builds nothing itself.
describe('the renderer bundles', () => {
  it('the app (dist/renderer, what Electron loads and electron-builder ships) carries no test aid', () => {
    const bundle = bundleOf('renderer');
    for (const marker of testAidMarkers) expect(bundle.includes(marker), `dist/renderer contains ${marker}`).toBe(false);
  });

  it('the test build (dist/renderer-test, what the test host serves) carries the test port', () => {
    const bundle = bundleOf('renderer-test');
    for (const marker of testAidMarkers) expect(bundle.includes(marker), `dist/renderer-test lacks ${marker}`).toBe(true);
  });
});
