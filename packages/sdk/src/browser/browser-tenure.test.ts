import type { Message } from '@tenure/schema';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TenureError } from '../core/tenure-error.js';
import { fakeTab, quotaStorage } from '../testing/fake-browser.js';
import { errorResponse, ingestServer, TEST_HOST } from '../testing/ingest-server.js';
import { settle } from '../testing/test-runtime.js';
import { Tenure } from './browser-tenure.js';
import { CLAIM_DELAY } from './tab-queues.js';
import { memoryWebStorage, type WebStorage } from './web-storage.js';

const ingest = ingestServer();
beforeAll(() => ingest.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => ingest.server.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-01-05T09:00:00Z'));
});
afterEach(async () => {
  await settle(); // let requests still in flight land before the next test
  vi.useRealTimers();
  ingest.reset();
});

function openTab(
  storage: WebStorage,
  options: { doNotTrack?: boolean; respectDoNotTrack?: boolean } = {},
) {
  const tab = fakeTab(storage, options);
  const errors: TenureError[] = [];
  const tenure = new Tenure(
    {
      writeKey: 'wk_browser',
      host: TEST_HOST,
      respectDoNotTrack: options.respectDoNotTrack,
      onError: (error) => errors.push(error),
    },
    tab.environment,
  );
  return { ...tab, tenure, errors };
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

const beaconMessages = (beacons: Array<{ body: string }>): Message[] =>
  beacons.flatMap((beacon) => (JSON.parse(beacon.body) as { batch: Message[] }).batch);

describe('browser delivery', () => {
  it('sends batches as text/plain with the write key in the body (no CORS preflight)', async () => {
    const { tenure } = openTab(memoryWebStorage());
    tenure.login();
    await advance(2_000);
    const [request] = ingest.requests;
    expect(request?.writeKey).toBe('wk_browser');
    expect(request?.authorization).toBeNull();
    expect(request?.contentType).toMatch(/^text\/plain/);
  });

  it('adds url, path, referrer and title to page()', async () => {
    const { tenure } = openTab(memoryWebStorage());
    tenure.page('Reports', { tab: 'mrr' });
    await tenure.flush();
    expect(ingest.stored()[0]).toMatchObject({
      type: 'page',
      name: 'Reports',
      properties: { url: 'https://app.example.com/reports', path: '/reports', tab: 'mrr' },
    });
  });
});

describe('persistence', () => {
  it('keeps queued events across a reload and sends them from the next page, once', async () => {
    const storage = memoryWebStorage();
    ingest.respondWith(() => errorResponse(503, 'storage_unavailable', 'down'));
    const first = openTab(storage);
    first.state.online = false; // offline: no beacon on the way out
    first.tenure.identify('u_1');
    first.tenure.login();
    first.tenure.featureUsed('reports');
    await advance(2_000);
    first.pagehide();
    expect(first.beacons).toEqual([]);

    ingest.respondWith(() => undefined);
    const second = openTab(storage);
    await advance(CLAIM_DELAY);
    await second.tenure.flush();
    expect(ingest.stored().map((m) => (m.type === 'track' ? m.event : m.type))).toEqual([
      'identify',
      'login',
      'feature_used',
    ]);
    await advance(60_000);
    expect(new Set(ingest.sentIds()).size).toBe(3);
    expect(ingest.stored()).toHaveLength(3);
  });

  it('recovers the queue of a crashed tab once its lease expires', async () => {
    const storage = memoryWebStorage();
    ingest.respondWith(() => errorResponse(503, 'storage_unavailable', 'down'));
    const crashed = openTab(storage);
    crashed.tenure.login();
    await advance(2_000);
    crashed.crash();

    ingest.respondWith(() => undefined);
    const survivor = openTab(storage);
    await advance(30_000);
    expect(ingest.stored()).toHaveLength(0); // the lease is still fresh: maybe alive, hands off
    await advance(40_000);
    expect(ingest.stored()).toHaveLength(1);
    expect(survivor.errors).toEqual([]);
  });

  it('keeps sending from memory when storage is full, losing nothing', async () => {
    const storage = quotaStorage(6_000);
    ingest.respondWith(() => errorResponse(503, 'storage_unavailable', 'down'));
    const { tenure, errors } = openTab(storage);
    for (let i = 0; i < 40; i++) tenure.featureUsed(`feature-${i}`);
    ingest.respondWith(() => undefined);
    await tenure.flush();
    const features = ingest
      .stored()
      .map((m) => (m.type === 'track' ? m.properties?.['feature'] : null));
    expect(features).toEqual(Array.from({ length: 40 }, (_, i) => `feature-${i}`));
    expect(errors).toEqual([]);
    expect(tenure.stats).toMatchObject({ delivered: 40, dropped: 0 });
  });

  it('works with a storage that refuses every write: one identity, every event sent', async () => {
    const { tenure, errors } = openTab(quotaStorage(0));
    tenure.identify('u_1');
    tenure.group('acme');
    tenure.login();
    tenure.featureUsed('reports');
    await tenure.flush();
    const stored = ingest.stored();
    expect(stored.map((m) => (m.type === 'track' ? m.event : m.type))).toEqual([
      'identify',
      'group',
      'login',
      'feature_used',
    ]);
    expect(new Set(stored.map((m) => m.anonymousId)).size).toBe(1);
    expect(stored.slice(2).map((m) => [m.userId, m.context?.groupId])).toEqual([
      ['u_1', 'acme'],
      ['u_1', 'acme'],
    ]);
    expect(errors).toEqual([]);
  });

  it('sends what storage last kept once from the next page, when the rest was in memory', async () => {
    const storage = quotaStorage(3_000);
    ingest.respondWith(() => errorResponse(503, 'storage_unavailable', 'down'));
    const first = openTab(storage);
    first.state.online = false;
    for (let i = 0; i < 20; i++) first.tenure.featureUsed(`feature-${i}`);
    first.pagehide();
    first.crash(); // the page is gone: its timers never fire
    ingest.respondWith(() => undefined);
    openTab(storage);
    await advance(CLAIM_DELAY + 5_000);
    // The first events, which fitted; the later ones lived in the closed page's memory only.
    const features = ingest
      .stored()
      .map((m) => (m.type === 'track' ? m.properties?.['feature'] : null));
    expect(features.length).toBeGreaterThan(0);
    expect(features.length).toBeLessThan(20);
    expect(features).toEqual(Array.from({ length: features.length }, (_, i) => `feature-${i}`));
    expect(ingest.duplicates()).toBe(0);
  });
});

describe('leaving the page', () => {
  it('sends what is queued with sendBeacon on pagehide, write key in the body', async () => {
    const tab = openTab(memoryWebStorage());
    tab.tenure.login();
    tab.tenure.featureUsed('reports');
    tab.pagehide();
    expect(tab.beacons).toHaveLength(1);
    expect(tab.beacons[0]?.url).toBe(`${TEST_HOST}/v1/batch`);
    expect(JSON.parse(tab.beacons[0]?.body ?? '{}').writeKey).toBe('wk_browser');
    expect(beaconMessages(tab.beacons).map((m) => (m.type === 'track' ? m.event : ''))).toEqual([
      'login',
      'feature_used',
    ]);
    await advance(10_000);
    expect(ingest.requests).toHaveLength(0); // the beacon took them: no second send
  });

  it('sends with sendBeacon when the page is hidden', () => {
    const tab = openTab(memoryWebStorage());
    tab.tenure.login();
    tab.hide();
    expect(beaconMessages(tab.beacons)).toHaveLength(1);
  });

  it('splits a large queue into beacons within the batch limits', async () => {
    const tab = openTab(memoryWebStorage());
    for (let i = 0; i < 250; i++) tab.tenure.featureUsed('reports', { n: i });
    tab.pagehide();
    // The first full batch went out by fetch at once; the beacons carry the rest.
    const beaconBatches = tab.beacons.map(
      (b) => (JSON.parse(b.body) as { batch: unknown[] }).batch,
    );
    expect(beaconBatches.map((batch) => batch.length)).toEqual([100, 50]);
    for (const beacon of tab.beacons) {
      expect(new TextEncoder().encode(beacon.body).length).toBeLessThanOrEqual(64_000);
    }
    await settle();
    const sent = [...ingest.sentIds(), ...beaconMessages(tab.beacons).map((m) => m.messageId)];
    expect(sent).toHaveLength(250);
    expect(new Set(sent).size).toBe(250);
  });

  it('leaves a batch already in flight to its request, so it is not sent twice', async () => {
    const tab = openTab(memoryWebStorage());
    for (let i = 0; i < 100; i++) tab.tenure.featureUsed('reports'); // a full batch: sent at once
    tab.tenure.login();
    tab.pagehide();
    expect(beaconMessages(tab.beacons).map((m) => (m.type === 'track' ? m.event : ''))).toEqual([
      'login',
    ]);
    await settle();
    expect(ingest.requests.map((r) => r.batch.length)).toEqual([100]);
  });

  it('keeps events for the next page when the beacon is refused', () => {
    const storage = memoryWebStorage();
    const tab = openTab(storage);
    tab.state.beaconAccepts = false;
    tab.tenure.login();
    tab.pagehide();
    const queues = Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').filter(
      (key) => key.startsWith('tenure:q:'),
    );
    expect(queues).toHaveLength(1);
    expect(storage.getItem(queues[0] ?? '')).toContain('"login"');
  });
});

describe('consent', () => {
  it('sends nothing after optOut, also after a reload, until optIn', async () => {
    const storage = memoryWebStorage();
    const tab = openTab(storage);
    tab.tenure.optOut();
    tab.tenure.login();
    tab.pagehide();
    const reloaded = openTab(storage);
    reloaded.tenure.login();
    await advance(10_000);
    expect(ingest.requests).toHaveLength(0);
    expect(reloaded.beacons).toEqual([]);
    reloaded.tenure.optIn();
    reloaded.tenure.login();
    await reloaded.tenure.flush();
    expect(ingest.stored()).toHaveLength(1);
  });

  it('keeps an optOut across a reload even when storage was full', async () => {
    const storage = quotaStorage(3_000);
    ingest.respondWith(() => errorResponse(503, 'storage_unavailable', 'down'));
    const tab = openTab(storage);
    for (let i = 0; i < 20; i++) tab.tenure.featureUsed(`feature-${i}`);
    // The app takes whatever room is left.
    for (let room = 3_000; room > 0; room--) {
      try {
        storage.setItem('app', 'x'.repeat(room));
        break;
      } catch {}
    }
    tab.tenure.optOut();
    tab.pagehide();
    tab.crash();
    const reloaded = openTab(storage);
    expect(reloaded.tenure.optedOut).toBe(true);
  });

  it('treats Do-Not-Track as an opt-out, unless configured not to', async () => {
    const dnt = openTab(memoryWebStorage(), { doNotTrack: true });
    dnt.tenure.login();
    await advance(10_000);
    expect(ingest.requests).toHaveLength(0);

    const ignoring = openTab(memoryWebStorage(), { doNotTrack: true, respectDoNotTrack: false });
    ignoring.tenure.login();
    await ignoring.tenure.flush();
    expect(ingest.stored()).toHaveLength(1);
  });
});

describe('leaving the page while the server fails', () => {
  it.each([
    ['a 503', {}],
    ['a 429 with Retry-After', { 'Retry-After': '30' }],
  ])(
    'keeps events for the next page instead of beaconing them into an outage (%s)',
    async (_, headers) => {
      const storage = memoryWebStorage();
      const status = 'Retry-After' in headers ? 429 : 503;
      ingest.respondWith(() => errorResponse(status, 'storage_unavailable', 'down', headers));
      const tab = openTab(storage);
      tab.tenure.login();
      await advance(2_000); // one failed request: the delivery is backing off
      tab.tenure.featureUsed('reports');
      tab.pagehide();
      expect(tab.beacons).toEqual([]);

      ingest.respondWith(() => undefined);
      openTab(storage);
      await advance(CLAIM_DELAY + 5_000);
      expect(ingest.stored().map((m) => (m.type === 'track' ? m.event : ''))).toEqual([
        'login',
        'feature_used',
      ]);
    },
  );
});
