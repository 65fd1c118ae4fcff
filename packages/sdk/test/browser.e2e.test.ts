import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { snippet } from '../src/browser/snippet.js';
import {
  chromiumAvailable,
  exampleApp,
  launchChromium,
  listen,
  tenureIngestion,
} from './e2e-servers.js';

/**
 * The example page (examples/browser) in a real Chromium against the real Tenure server: the
 * snippet loads the script-tag build, a user logs in and uses features, and the page goes away
 * mid-batch. Every event must be stored once. Debian's Chromium only, never a downloaded
 * browser; CI installs it.
 */
const EXAMPLE = new URL('../../../examples/browser/index.html', import.meta.url);
const SCRIPT_TAG = new URL('../dist/tenure.global.js', import.meta.url);
const APP = new URL('../../../apps/server/src/app.ts', import.meta.url);

describe.skipIf(!chromiumAvailable)('the example page in Chromium', () => {
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-browser-e2e-'));
  let ingestion: Awaited<ReturnType<typeof tenureIngestion>>;
  let stopIngestion: () => Promise<void>;
  let stopApp: () => Promise<void>;
  let appOrigin: string;
  let apiOrigin: string;
  /** Per test: a request still in flight from an earlier test is refused, not counted. */
  let appUrl: string;
  let pageErrors: string[];

  beforeAll(async () => {
    expect(existsSync(SCRIPT_TAG), 'run `pnpm --filter @tenure/sdk build` first').toBe(true);
    ingestion = await tenureIngestion(APP, dataDir);
    const api = await listen(ingestion.server);
    const app = await listen(exampleApp(EXAMPLE, SCRIPT_TAG));
    stopIngestion = api.close;
    stopApp = app.close;
    appOrigin = app.origin;
    apiOrigin = api.origin;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopApp?.();
    await stopIngestion?.();
    await ingestion?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const writeKey = await ingestion.newProject();
    appUrl = `${appOrigin}/?host=${encodeURIComponent(apiOrigin)}&writeKey=${writeKey}`;
    pageErrors = [];
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  async function openApp(context: Awaited<ReturnType<Browser['newContext']>>): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(appUrl);
    return page;
  }

  async function logIn(page: Page) {
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#app:not([hidden])');
  }

  /** Waits for the server to have stored `total` events, then a little more for strays. */
  async function arrived(total: number) {
    const deadline = Date.now() + 15_000;
    while ((await ingestion.refresh()).size < total && Date.now() < deadline) await sleep(100);
    await sleep(500);
    return (await ingestion.refresh()).size;
  }

  it('uses the snippet as documented', () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toContain(snippet('tenure.global.js'));
  });

  it('delivers every event once when the user navigates away mid-batch', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    await logIn(page);
    for (let round = 0; round < 5; round++) {
      for (const feature of ['reports', 'exports', 'dashboards']) {
        await page.click(`[data-feature=${feature}]`);
      }
    }
    await page.click('#next'); // well within the 2 s batch interval: the beacon carries them
    await page.waitForURL(/page=2/);

    // page ×2 (one per load), identify, group, login, 15 features.
    expect(await arrived(20)).toBe(20);
    expect(ingestion.count('feature_used')).toBe(15);
    expect(ingestion.count('login')).toBe(1);
    expect(ingestion.count('page')).toBe(2);
    const login = [...(await ingestion.refresh()).values()].find(
      (m) => m.type === 'track' && m.event === 'login',
    );
    expect(login).toMatchObject({ userId: 'ada@acme.com', context: { groupId: 'acme' } });
    await context.close();
  });

  it('delivers every event once when the tab closes with a batch in flight', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    await logIn(page);
    ingestion.state.delayMs = 1_500; // the first full batch is still in flight at close
    await page.evaluate(() => {
      const reports = document.querySelector<HTMLButtonElement>('[data-feature=reports]');
      for (let i = 0; i < 150; i++) reports?.click();
    });
    await page.close({ runBeforeUnload: true });
    ingestion.state.delayMs = 0;
    // The user comes back later: whatever the closed tab could not send, this page sends.
    const later = await openApp(context);
    // page ×2, identify, group, login, 150 features.
    expect(await arrived(155)).toBe(155);
    expect(ingestion.count('feature_used')).toBe(150);
    await later.close();
    await context.close();
  });

  it.each([
    [
      'throws on access (sandboxed frame, storage blocked)',
      () => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      },
    ],
    [
      'is full',
      () => {
        Storage.prototype.setItem = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      },
    ],
  ])('delivers every event once when localStorage %s', async (_, breakStorage) => {
    const context = await browser.newContext();
    await context.addInitScript(breakStorage);
    const page = await openApp(context);
    await logIn(page);
    for (const feature of ['reports', 'exports', 'dashboards']) {
      await page.click(`[data-feature=${feature}]`);
    }
    await page.click('#next'); // the queue lives in memory only: the beacon must carry it
    await page.waitForURL(/page=2/);
    // page ×2, identify, group, login, 3 features.
    expect(await arrived(8)).toBe(8);
    const stored = [...(await ingestion.refresh()).values()];
    expect(ingestion.count('feature_used')).toBe(3);
    const features = stored.filter((m) => m.type === 'track' && m.event === 'feature_used');
    for (const m of features) {
      expect(m).toMatchObject({ userId: 'ada@acme.com', context: { groupId: 'acme' } });
    }
    await context.close();
  });

  it('keeps events through a server outage and a reload, then delivers them once', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    ingestion.state.failWith = 503;
    await logIn(page);
    await page.click('[data-feature=reports]');
    const deadline = Date.now() + 10_000;
    while (ingestion.state.failures === 0 && Date.now() < deadline) await sleep(50);
    expect(ingestion.state.failures).toBeGreaterThan(0);
    await page.reload(); // no beacon into an outage: the queue stays in localStorage
    ingestion.state.failWith = 0;
    // page ×2, identify, group, login, 1 feature.
    expect(await arrived(6)).toBe(6);
    expect(ingestion.count('feature_used')).toBe(1);
    await context.close();
  });
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
