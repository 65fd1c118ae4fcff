import { defineConfig } from 'vite';

// Plain esbuild JSX for Preact: no Babel preset needed, and the bundle stays small
// (the accounts page has a 120 KB gzip budget for its initial JavaScript).
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `pnpm --filter @tenure/web dev` against a server on TENURE_URL (default :8080).
    proxy: { '/v1': process.env.TENURE_URL ?? 'http://127.0.0.1:8080' },
  },
});
