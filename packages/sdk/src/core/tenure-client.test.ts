import { type Message, SEMANTIC_EVENT_NAMES } from '@tenure/schema';
import { describe, expect, it } from 'vitest';
import { memoryWebStorage, prefixedStore } from '../browser/web-storage.js';
import { testRuntime } from '../testing/test-runtime.js';
import { memoryQueueStorage } from './event-queue.js';
import { helperName, SEMANTIC_HELPERS } from './semantic-events.js';
import { TenureClient } from './tenure-client.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

const LIMITS = {
  maxBatchEvents: 100,
  maxBatchBytes: 64_000,
  flushInterval: 60_000,
  maxQueueEvents: 1_000,
  maxQueueBytes: 1_000_000,
  retryBaseDelay: 1_000,
  maxRetryDelay: 30_000,
};

/** A client whose queue the test reads directly: message shapes, no network. */
function setup(store = prefixedStore(memoryWebStorage(), 't:'), doNotTrack = false) {
  const queueStorage = memoryQueueStorage();
  const client = new TenureClient(
    { writeKey: 'wk', host: 'https://tenure.test/' },
    {
      transport: { send: () => new Promise(() => {}) },
      runtime: testRuntime(),
      queueStorage,
      store,
      defaults: LIMITS,
      doNotTrack,
    },
  );
  const messages = (): Message[] => queueStorage.load().map((event) => event.message);
  return { client, messages, store };
}

describe('TenureClient', () => {
  it('stamps every message with a messageId, the call time and the library', () => {
    const { client, messages } = setup();
    client.track('report_exported', { format: 'csv' });
    client.track('report_exported', { format: 'pdf' });
    const [first, second] = messages();
    expect(first).toMatchObject({
      type: 'track',
      event: 'report_exported',
      properties: { format: 'csv' },
      context: { library: { name: SDK_NAME, version: SDK_VERSION } },
    });
    expect(first?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first?.messageId).not.toBe(second?.messageId);
    expect(Date.now() - Date.parse(first?.timestamp ?? '')).toBeLessThan(1_000);
    expect(first?.sentAt).toBeUndefined();
  });

  it('carries a persisted anonymous id, then the user and the current account', () => {
    const { client, messages, store } = setup();
    client.page('Pricing');
    client.identify('u_1', { email: 'ada@acme.com' });
    client.group('acme', { plan: 'pro', mrr: 490 });
    client.login();
    const [page, identify, group, login] = messages();
    const anonymousId = page?.anonymousId;
    expect(anonymousId).toBeTruthy();
    expect(page?.userId).toBeUndefined();
    expect(identify).toMatchObject({
      type: 'identify',
      userId: 'u_1',
      anonymousId,
      traits: { email: 'ada@acme.com' },
    });
    expect(group).toMatchObject({ type: 'group', groupId: 'acme', context: { groupId: 'acme' } });
    expect(login).toMatchObject({
      event: 'login',
      userId: 'u_1',
      anonymousId,
      context: { groupId: 'acme' },
    });

    // A new page (same storage) still knows who and which account.
    const reloaded = setup(store);
    reloaded.client.featureUsed('reports');
    expect(reloaded.messages()[0]).toMatchObject({
      userId: 'u_1',
      anonymousId,
      context: { groupId: 'acme' },
    });
  });

  it('forgets the user and account on reset, with a new anonymous id', () => {
    const { client, messages } = setup();
    client.identify('u_1');
    client.group('acme');
    const before = client.anonymousId;
    client.reset();
    client.login();
    const login = messages().at(-1);
    expect(login?.userId).toBeUndefined();
    expect(login?.context?.groupId).toBeUndefined();
    expect(login?.anonymousId).not.toBe(before);
  });

  it('aliases from the current identity by default', () => {
    const { client, messages } = setup();
    client.identify('legacy-42');
    client.alias('u_1');
    expect(messages().at(-1)).toMatchObject({
      type: 'alias',
      userId: 'u_1',
      previousId: 'legacy-42',
    });
  });

  it('has a helper for every semantic event, sending its name and positional property', () => {
    const { client, messages } = setup();
    const helpers = client as unknown as Record<string, (first?: unknown, props?: object) => void>;
    for (const [event, positional] of Object.entries(SEMANTIC_HELPERS)) {
      const helper = helpers[helperName(event)];
      expect(helper, event).toBeTypeOf('function');
      if (positional) helper?.call(client, 'value-1', { extra: true });
      else helper?.call(client, { extra: true });
    }
    const sent = messages().map((m) => (m.type === 'track' ? [m.event, m.properties] : []));
    expect(sent).toEqual(
      Object.entries(SEMANTIC_HELPERS).map(([event, positional]) => [
        event,
        positional ? { extra: true, [positional]: 'value-1' } : { extra: true },
      ]),
    );
  });

  it('covers every semantic event of the contract', () => {
    expect(Object.keys(SEMANTIC_HELPERS).sort()).toEqual([...SEMANTIC_EVENT_NAMES].sort());
  });

  it('names helpers in camelCase after their events', () => {
    expect(helperName('feature_used')).toBe('featureUsed');
    expect(helperName('password_reset_requested')).toBe('passwordResetRequested');
    expect(helperName('login')).toBe('login');
  });

  it('records nothing after optOut, persistently, and discards what was queued', () => {
    const { client, messages, store } = setup();
    client.login();
    client.optOut();
    client.featureUsed('reports');
    expect(messages()).toEqual([]);
    const reloaded = setup(store);
    reloaded.client.login();
    expect(reloaded.client.optedOut).toBe(true);
    expect(reloaded.messages()).toEqual([]);
    reloaded.client.optIn();
    reloaded.client.login();
    expect(reloaded.messages()).toHaveLength(1);
  });

  it('respects Do-Not-Track until the user opts in', () => {
    const { client, messages } = setup(undefined, true);
    client.login();
    expect(messages()).toEqual([]);
    client.optIn();
    client.login();
    expect(messages()).toHaveLength(1);
  });
});
