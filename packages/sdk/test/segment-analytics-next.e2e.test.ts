import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  type StoredRow,
  tenureIngestion,
} from './e2e-servers.js';

/**
 * Segment's own browser library, @segment/analytics-next, in a real Chromium against the real
 * Tenure server: docs/ingestion.md says analytics.js works unchanged when pointed at Tenure
 * (its one-letter paths /v1/i, /v1/g, /v1/p, /v1/t, text/plain bodies with the write key in
 * them, Basic auth, a cross-origin page). What counts is what the server stored. The CDN
 * settings are given inline and every request off 127.0.0.1 is refused, so nothing leaves the
 * machine. Debian's Chromium only, never a downloaded browser; CI installs it.
 */
const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
const APP = new URL('../../../apps/server/src/app.ts', import.meta.url);

/** The page's script: what a SaaS app writes after `npm install @segment/analytics-next`. */
const ENTRY = `
import { AnalyticsBrowser } from '@segment/analytics-next';

const params = new URLSearchParams(location.search);
const writeKey = params.get('writeKey');
const apiHost = params.get('apiHost');

window.segmentDone = (async () => {
  const [analytics] = await AnalyticsBrowser.load(
    {
      writeKey,
      cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol: 'http' } } },
    },
    { integrations: { 'Segment.io': { apiHost, protocol: 'http' } } },
  );
  // Each call resolves once the Segment.io destination has had the server's answer.
  const calls = [
    await analytics.identify('user-1', { email: 'ada@acme.com' }),
    await analytics.group('acct-1', { name: 'Acme' }),
    await analytics.page(),
    await analytics.track('feature_used', { feature: 'reports' }),
  ];
  return calls.map((ctx) => ({ type: ctx.event.type, failed: ctx.failedDelivery() !== undefined }));
})();
`;

/** esbuild, through tsup (which the SDK already builds with), rather than a dependency of its own. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
}
function esbuild(): Esbuild {
  const fromSdk = createRequire(import.meta.url);
  return createRequire(fromSdk.resolve('tsup'))('esbuild') as Esbuild;
}

interface Answer {
  method: string;
  path: string;
  status: number;
  body: string;
}

describe.skipIf(!chromiumAvailable)(
  '@segment/analytics-next in Chromium, pointed at Tenure',
  () => {
    let browser: Browser;
    const dataDir = mkdtempSync(join(tmpdir(), 'tenure-segment-e2e-'));
    let ingestion: Awaited<ReturnType<typeof tenureIngestion>>;
    let stopPage: () => Promise<void>;
    let pageOrigin: string;

    beforeAll(async () => {
      const bundle = await esbuild().build({
        stdin: {
          contents: ENTRY,
          resolveDir: SDK_DIR,
          sourcefile: 'segment-page.js',
          loader: 'js',
        },
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        logLevel: 'silent',
      });
      const script = bundle.outputFiles[0]?.text ?? '';
      expect(script).toContain('api.segment.io'); // the library itself, not a stand-in
      const html = '<!doctype html><title>app</title><script src="/segment.js"></script>';
      const pages = createServer((request, response) => {
        const path = new URL(request.url ?? '/', 'http://localhost').pathname;
        if (path === '/') {
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
        } else if (path === '/segment.js') {
          response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
        } else {
          response.writeHead(404).end();
        }
      });
      ingestion = await tenureIngestion(APP, dataDir);
      const served = await listen(pages);
      stopPage = served.close;
      pageOrigin = served.origin;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await stopPage?.();
      await ingestion?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('stores its identify, group, page and track calls', async () => {
      const writeKey = await ingestion.newProject();
      // The server itself, not the fault-injecting proxy: its own CORS and parsing answer.
      const apiOrigin = ingestion.serverOrigin;
      const apiHost = `${new URL(apiOrigin).host}/v1`;
      const context = await browser.newContext();
      const page = await context.newPage();

      const offMachine: string[] = [];
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1') return route.continue();
        offMachine.push(url.href);
        return route.abort('blockedbyclient');
      });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('requestfailed', (request) =>
        problems.push(
          `requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`,
        ),
      );
      const answers: Promise<Answer>[] = [];
      const sent: Array<{
        path: string;
        contentType: string | undefined;
        body: Record<string, unknown>;
      }> = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(apiOrigin)) return;
        sent.push({
          path: new URL(request.url()).pathname,
          contentType: request.headers()['content-type'],
          body: JSON.parse(request.postData() ?? '{}') as Record<string, unknown>,
        });
      });
      page.on('response', (response) => {
        if (!response.url().startsWith(apiOrigin)) return;
        answers.push(
          response.text().then((body) => ({
            method: response.request().method(),
            path: new URL(response.url()).pathname,
            status: response.status(),
            body,
          })),
        );
      });

      const query = new URLSearchParams({ writeKey, apiHost });
      await page.goto(`${pageOrigin}/?${query}`);
      const calls = await page.evaluate(
        () =>
          (window as unknown as { segmentDone: Promise<Array<{ type: string; failed: boolean }>> })
            .segmentDone,
      );
      expect(calls).toEqual([
        { type: 'identify', failed: false },
        { type: 'group', failed: false },
        { type: 'page', failed: false },
        { type: 'track', failed: false },
      ]);

      const rows = await stored(4);
      const byType = Object.fromEntries(rows.map((row) => [row.type, row]));
      expect(rows.map((row) => row.type).sort()).toEqual(['group', 'identify', 'page', 'track']);
      const anonymousId = byType['identify']?.anonymousId;
      expect(anonymousId).toMatch(/^[0-9a-f-]{36}$/);
      for (const row of rows) {
        expect(row).toMatchObject({ userId: 'user-1', anonymousId });
        // Sent by Segment's library, as it names itself; not by Tenure's SDK.
        expect(row.context['library']).toMatchObject({ name: 'analytics.js' });
      }
      expect(byType['identify']?.properties).toMatchObject({ email: 'ada@acme.com' });
      expect(byType['group']).toMatchObject({ accountId: 'acct-1', properties: { name: 'Acme' } });
      // Sent after the group call was answered: it belongs to the user's current account.
      expect(byType['track']).toMatchObject({
        event: 'feature_used',
        accountId: 'acct-1',
        properties: { feature: 'reports' },
      });
      expect(byType['page']?.context['page']).toMatchObject({ path: '/' });

      // On the wire: the one-letter paths, text/plain bodies carrying the write key, all 2xx.
      expect(sent.map((request) => request.path)).toEqual(['/v1/i', '/v1/g', '/v1/p', '/v1/t']);
      for (const request of sent) {
        expect(request.contentType).toBe('text/plain');
        expect(request.body['writeKey']).toBe(writeKey);
      }
      const answered = await Promise.all(answers);
      expect(answered.map(({ method, path }) => `${method} ${path}`)).toEqual([
        'POST /v1/i',
        'POST /v1/g',
        'POST /v1/p',
        'POST /v1/t',
      ]);
      for (const answer of answered) {
        expect(answer.status, `${answer.path}: ${answer.body}`).toBeGreaterThanOrEqual(200);
        expect(answer.status, `${answer.path}: ${answer.body}`).toBeLessThan(300);
        expect(JSON.parse(answer.body)).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      }
      expect(offMachine).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });

    /** Waits for the server to have stored `total` events, then a little more for strays. */
    async function stored(total: number): Promise<StoredRow[]> {
      const deadline = Date.now() + 10_000;
      while ((await ingestion.rows()).length < total && Date.now() < deadline) await sleep(100);
      await sleep(300);
      return ingestion.rows();
    }
  },
);

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
