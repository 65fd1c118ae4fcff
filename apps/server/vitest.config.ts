import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
});
