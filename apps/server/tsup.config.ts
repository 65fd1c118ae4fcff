import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  dts: { entry: 'src/index.ts' },
  // The wire contract is a workspace package: bundle it so `dist/` runs without a build of its own.
  noExternal: ['@tenure/schema'],
  esbuildOptions(options) {
    options.conditions = ['source'];
  },
});
