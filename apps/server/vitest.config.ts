import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store tests open PGlite instances and a shared Postgres; two workers fit 2 cores.
    maxWorkers: 2,
  },
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
});
