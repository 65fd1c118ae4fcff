import type { Message } from '@tenure/schema';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestServer, TEST_HOST } from '../testing/ingest-server.js';
import { settle } from '../testing/test-runtime.js';
import { API_METHODS } from './api-methods.js';
import { Tenure } from './browser-tenure.js';
import { snippet } from './snippet.js';
import { memoryWebStorage } from './web-storage.js';

/**
 * The script-tag path without a browser: the snippet runs against stand-in globals, records
 * calls, then `global.ts` loads and replays them. (The real-browser test covers the same path
 * in Chromium.)
 */
const ingest = ingestServer();
const scripts: Array<{ src?: string; async?: boolean }> = [];

type GlobalTenure = Record<string, (...args: unknown[]) => unknown> & { q?: unknown[] };
const page = () => (globalThis as unknown as { window: { tenure: GlobalTenure } }).window;

beforeAll(() => {
  ingest.server.listen({ onUnhandledRequest: 'error' });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-01-05T09:00:00Z'));
  vi.stubGlobal('window', Object.assign(new EventTarget(), { localStorage: memoryWebStorage() }));
  vi.stubGlobal('document', {
    visibilityState: 'visible',
    referrer: '',
    title: 'Acme',
    createElement: () => ({}),
    head: { appendChild: (script: { src?: string }) => scripts.push(script) },
  });
  vi.stubGlobal('navigator', { onLine: true, doNotTrack: null, sendBeacon: () => true });
  vi.stubGlobal('location', { href: 'https://app.example.com/reports', pathname: '/reports' });
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  ingest.server.close();
});

describe('snippet and script-tag build', () => {
  it('queues calls before the script loads and replays them with their original times', async () => {
    new Function(snippet('https://cdn.example.com/tenure.global.js'))();
    expect(scripts).toEqual([{ async: true, src: 'https://cdn.example.com/tenure.global.js' }]);
    const calledAt = Date.now();
    page().tenure.init?.({ writeKey: 'wk_snippet', host: TEST_HOST });
    page().tenure.identify?.('u_1', { email: 'ada@acme.com' });
    page().tenure.group?.('acme', { plan: 'pro' });
    page().tenure.login?.();
    page().tenure.featureUsed?.('reports');
    page().tenure.flush?.();
    expect(page().tenure.q).toHaveLength(6);
    const kept = page().tenure; // code may hold on to the snippet's object

    await vi.advanceTimersByTimeAsync(3_000); // the script arrives 3 s later
    await import('./global.js');
    await settle();
    // The replayed flush sent at once: stamped with the time of sending, not of the call.
    expect(ingest.requests.map((r) => Date.parse(r.sentAt ?? ''))).toEqual([calledAt + 3_000]);
    kept.featureUsed?.('exports'); // a call after loading goes straight through
    expect(page().tenure).toBe(kept);
    expect(kept.q).toBeUndefined();
    await page().tenure.flush?.();
    await settle();

    const stored = ingest.stored();
    expect(stored.map((m: Message) => (m.type === 'track' ? m.event : m.type))).toEqual([
      'identify',
      'group',
      'login',
      'feature_used',
      'feature_used',
    ]);
    for (const message of stored.slice(0, 4))
      expect(Date.parse(message.timestamp ?? '')).toBe(calledAt);
    expect(Date.parse(stored[4]?.timestamp ?? '')).toBe(calledAt + 3_000);
    expect(stored[3]).toMatchObject({ userId: 'u_1', context: { groupId: 'acme' } });
    expect(ingest.requests[0]?.writeKey).toBe('wk_snippet');
  });

  it('exposes every public method of the client on the global, and the snippet stubs them all', () => {
    const methods = new Set<string>();
    for (
      let proto = Tenure.prototype;
      proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const { value } = Object.getOwnPropertyDescriptor(proto, name) ?? {};
        if (typeof value === 'function' && name !== 'constructor' && name !== 'record')
          methods.add(name);
      }
    }
    expect([...API_METHODS].sort()).toEqual([...methods].sort());
    for (const method of ['init', ...methods]) {
      expect(snippet('x.js')).toContain(method);
      expect(page().tenure[method], method).toBeTypeOf('function');
    }
  });
});
