import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    projects: [{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } }, './vitest.e2e.config.ts'],
  },
});
