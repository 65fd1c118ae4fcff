import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `@tenure/sdk` (browser, the default) and `@tenure/sdk/node`, for bundlers and Node.
    entry: { index: 'src/browser/index.ts', node: 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    target: 'es2022',
    sourcemap: true,
    // The IIFE below is built in parallel into the same folder: spare it.
    clean: ['!tenure.global.js'],
    // The wire types are inlined, so the published SDK has no dependency (not even on zod).
    dts: { resolve: ['@tenure/schema'] },
    esbuildOptions(options) {
      options.conditions = ['source'];
    },
  },
  {
    // `dist/tenure.global.js`: the script-tag build that defines `window.tenure`.
    entry: { tenure: 'src/browser/global.ts' },
    format: ['iife'],
    target: 'es2022',
    platform: 'browser',
    // terser shaves about 3% more than esbuild's minifier off a budget measured in bytes.
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, unsafe_arrows: true },
      format: { comments: false },
    },
    esbuildOptions(options) {
      options.conditions = ['source'];
    },
  },
]);
