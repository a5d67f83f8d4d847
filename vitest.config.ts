import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/withScratchTmpdir.ts'],
    projects: [{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } }, './vitest.e2e.config.ts'],
  },
});
