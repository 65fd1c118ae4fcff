import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The size budget of the script-tag build, deterministic, so it belongs in CI. */
const BUDGET = 4096;
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url);

describe('bundle size', () => {
  it('has a build to measure', () => {
    expect(
      existsSync(dist('tenure.global.js')),
      'run `pnpm --filter @tenure/sdk build` first',
    ).toBe(true);
  });

  it(`keeps the script-tag build within ${BUDGET} bytes gzip`, () => {
    const gzip = gzipSync(readFileSync(dist('tenure.global.js'))).length;
    expect(gzip).toBeLessThanOrEqual(BUDGET);
  });

  it('ships no schema code (zod) in the browser builds', () => {
    for (const file of ['tenure.global.js', 'index.js', 'index.cjs']) {
      const code = readFileSync(dist(file), 'utf8');
      expect(code, file).not.toMatch(/@tenure\/schema|zod/);
    }
  });
});
