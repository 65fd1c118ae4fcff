import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_DIST } from './workspace-server.js';

/** The budget for the accounts page's initial JavaScript (#19). */
const BUDGET_GZIP_BYTES = 120 * 1024;

/**
 * Scripts index.html loads before anything runs (the entry and its modulepreloads): the
 * initial JavaScript of the accounts page, which is the landing page. Lazy pages are not in it.
 */
export function initialScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  return [...scripts, ...preloads];
}

describe('the accounts page size budget', () => {
  it('keeps its initial JavaScript under 120 KB gzip', () => {
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const files = initialScripts(html);
    expect(files.length).toBeGreaterThan(0);
    const gzipBytes = files
      .map((file) => gzipSync(readFileSync(join(WEB_DIST, file))).length)
      .reduce((sum, size) => sum + size, 0);
    expect(gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    // uPlot comes with the first chart, not with the list.
    expect(files.some((file) => file.includes('uplot'))).toBe(false);
  });
});
