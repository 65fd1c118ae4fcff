import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeTab, laggingOrigin } from '../testing/fake-browser.js';
import { errorResponse, ingestServer, TEST_HOST } from '../testing/ingest-server.js';
import { settle } from '../testing/test-runtime.js';
import { Tenure } from './browser-tenure.js';
import { CLAIM_DELAY, HEARTBEAT_INTERVAL, LEASE_TIMEOUT } from './tab-queues.js';
import { memoryWebStorage, type WebStorage } from './web-storage.js';

const ingest = ingestServer();
beforeAll(() => ingest.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => ingest.server.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-01-05T09:00:00Z'));
});
afterEach(async () => {
  await settle();
  vi.useRealTimers();
  ingest.reset();
});

/** A tab whose name is its write key, so each request tells which tab sent it. */
function openTab(storage: WebStorage, name = 'tab') {
  const tab = fakeTab(storage);
  const tenure = new Tenure(
    { writeKey: name, host: TEST_HOST, onError: () => {} },
    tab.environment,
  );
  return { ...tab, tenure };
}

/** Which tab sent each event (by messageId), from the requests the server stored. */
function sendersByEvent(): Map<string, Set<string>> {
  const senders = new Map<string, Set<string>>();
  for (const request of ingest.requests) {
    for (const message of request.batch) {
      const id = message.messageId ?? '';
      senders.set(id, new Set([...(senders.get(id) ?? []), request.writeKey ?? '']));
    }
  }
  return senders;
}

async function advance(ms: number) {
  // In heartbeat-sized steps, so that requests complete between timers like in a browser.
  for (let left = ms; left > 0; left -= 1_000) {
    await vi.advanceTimersByTimeAsync(Math.min(1_000, left));
    await settle(5);
  }
}

/** Leases a tab holds on queues other than its own, as that tab sees storage. */
function claimsOf(storage: WebStorage): number {
  const leases = Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '')
    .filter((key) => key.startsWith('tenure:lease:'))
    .map((key) => ({
      tab: key.slice('tenure:lease:'.length),
      holder: storage.getItem(key)?.split(' ')[0],
    }));
  const self = leases.find((lease) => lease.tab === lease.holder)?.tab;
  return leases.filter((lease) => lease.holder === self && lease.tab !== self).length;
}

const serverDown = () =>
  ingest.respondWith(() => errorResponse(503, 'storage_unavailable', 'down'));
const serverUp = () => ingest.respondWith(() => undefined);

describe('two tabs', () => {
  it('each send only their own events: nothing twice, nothing lost', async () => {
    const storage = memoryWebStorage();
    serverDown();
    const tabs = [openTab(storage, 'tab-0'), openTab(storage, 'tab-1')];
    for (let round = 0; round < 30; round++) {
      for (const [i, tab] of tabs.entries()) tab.tenure.featureUsed(`feature-${i}`, { round });
      await advance(3_000);
    }
    serverUp();
    await advance(5 * LEASE_TIMEOUT);
    expect(ingest.stored()).toHaveLength(60);
    expect(ingest.duplicates()).toBe(0);
    for (const request of ingest.requests) {
      const features = new Set(
        request.batch.map((m) => (m.type === 'track' ? m.properties?.['feature'] : '')),
      );
      expect([...features]).toEqual([request.writeKey?.replace('tab', 'feature')]);
    }
  });

  it('adopt a dead tab’s queue in exactly one of them, even when both claim it', async () => {
    // Each tab sees the others' writes 100 ms late: both find the orphan and both claim it.
    const origin = laggingOrigin(100);
    serverDown();
    const dead = openTab(origin('dead'));
    for (let i = 0; i < 5; i++) dead.tenure.login();
    dead.crash();
    await advance(LEASE_TIMEOUT);

    serverUp();
    const [first, second] = [
      openTab(origin('first'), 'first'),
      openTab(origin('second'), 'second'),
    ];
    expect([claimsOf(first.environment.storage), claimsOf(second.environment.storage)]).toEqual([
      1, 1,
    ]);
    await advance(CLAIM_DELAY + 5_000);
    expect(ingest.stored()).toHaveLength(5);
    expect(ingest.duplicates()).toBe(0);
    const orphanSenders = new Set([...sendersByEvent().values()].flatMap((s) => [...s]));
    expect(orphanSenders.size).toBe(1);
    await advance(3 * LEASE_TIMEOUT);
    expect(ingest.stored()).toHaveLength(5);
    expect(ingest.duplicates()).toBe(0);
  });

  it('leave a live tab’s queue alone', async () => {
    const storage = memoryWebStorage();
    serverDown();
    const busy = openTab(storage, 'busy');
    busy.tenure.login();
    openTab(storage, 'other');
    await advance(3 * LEASE_TIMEOUT);
    serverUp();
    await advance(HEARTBEAT_INTERVAL + 30_000);
    expect(ingest.stored()).toHaveLength(1);
    expect([...sendersByEvent().values()]).toEqual([new Set(['busy'])]);
  });

  it('do not resend what a frozen tab had queued once another tab adopted it', async () => {
    const storage = memoryWebStorage();
    serverDown();
    const frozen = openTab(storage, 'frozen');
    for (let i = 0; i < 3; i++) frozen.tenure.featureUsed('reports');
    await advance(3_000);
    frozen.freeze(); // its lease stops being renewed
    const awake = openTab(storage, 'awake');
    serverUp();
    await advance(LEASE_TIMEOUT + HEARTBEAT_INTERVAL + CLAIM_DELAY + 5_000);
    expect(ingest.stored()).toHaveLength(3); // adopted and sent by the awake tab

    const requestsBeforeThaw = ingest.requests.length;
    frozen.thaw(); // its retry timer fires: its queue in storage is gone, so nothing to send
    await advance(60_000);
    expect(ingest.requests.slice(requestsBeforeThaw)).toEqual([]);
    expect(ingest.stored()).toHaveLength(3);
    expect(ingest.duplicates()).toBe(0);
    expect(awake.beacons).toEqual([]);
  });
});
