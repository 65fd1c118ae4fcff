import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    // The real-browser and real-server tests start processes; unit tests finish in milliseconds.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
  // Resolve workspace packages to their TypeScript sources, as the typecheck does.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
});
