import { defineConfig } from 'vitest/config';

/**
 * End-to-end specs: Playwright drives the test build of the renderer (dist/renderer-test) in
 * Debian's Chromium against the loopback test host. Run after `npm run build`:
 * `npx vitest run --config vitest.e2e.config.ts`.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tests/withScratchTmpdir.ts'],
  },
});
