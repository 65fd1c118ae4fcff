import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    // Store tests open PGlite instances and share a Postgres server; two workers fit 2 cores.
    maxWorkers: 2,
  },
});
