import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TenureError } from '../core/tenure-error.js';
import { errorResponse, ingestServer, TEST_HOST } from '../testing/ingest-server.js';
import { settle } from '../testing/test-runtime.js';
import { type NodeOptions, Tenure } from './node-tenure.js';

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

function setup(options: Partial<NodeOptions> = {}) {
  const errors: TenureError[] = [];
  const tenure = new Tenure({
    writeKey: 'wk_node',
    host: TEST_HOST,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { tenure, errors };
}

describe('Node client', () => {
  it('sends each call with its own user and account, authenticated by HTTP Basic', async () => {
    const { tenure } = setup();
    tenure.identify({ userId: 'u_1', traits: { email: 'ada@acme.com' } });
    tenure.group({ userId: 'u_1', accountId: 'acme', traits: { plan: 'pro', mrr: 490 } });
    tenure.track({
      userId: 'u_2',
      accountId: 'globex',
      event: 'report_exported',
      properties: { format: 'csv' },
    });
    tenure.page({ anonymousId: 'anon-9', name: 'Pricing' });
    tenure.alias({ userId: 'u_1', previousId: 'legacy-42' });
    await tenure.flush();

    expect(ingest.requests[0]?.authorization).toBe(
      `Basic ${Buffer.from('wk_node:').toString('base64')}`,
    );
    expect(ingest.requests[0]?.contentType).toBe('application/json');
    expect(ingest.stored()).toMatchObject([
      { type: 'identify', userId: 'u_1', traits: { email: 'ada@acme.com' } },
      { type: 'group', userId: 'u_1', groupId: 'acme', context: { groupId: 'acme' } },
      { type: 'track', userId: 'u_2', event: 'report_exported', context: { groupId: 'globex' } },
      { type: 'page', anonymousId: 'anon-9', name: 'Pricing' },
      { type: 'alias', userId: 'u_1', previousId: 'legacy-42' },
    ]);
    expect(ingest.stored()[3]?.context?.groupId).toBeUndefined();
  });

  it('offers the semantic helpers per user', async () => {
    const { tenure } = setup();
    const ada = tenure.user({ userId: 'u_1', accountId: 'acme' });
    ada.login({ method: 'sso' });
    ada.featureUsed('reports');
    ada.subscriptionCancelled({ reason: 'too_expensive', mrr: 490 });
    await tenure.flush();
    expect(ingest.stored()).toMatchObject([
      {
        event: 'login',
        userId: 'u_1',
        properties: { method: 'sso' },
        context: { groupId: 'acme' },
      },
      { event: 'feature_used', properties: { feature: 'reports' } },
      { event: 'subscription_cancelled', properties: { reason: 'too_expensive', mrr: 490 } },
    ]);
  });

  it('keeps a caller-given messageId and timestamp (idempotent resends, backfills)', async () => {
    const { tenure } = setup();
    const call = {
      userId: 'u_1',
      event: 'milestone_reached' as const,
      properties: { milestone: 'first_report' },
      messageId: 'invoice-2026-001',
      timestamp: new Date('2025-12-01T10:00:00Z'),
    };
    tenure.track(call);
    tenure.track(call); // a resend after a crash, say
    await tenure.flush();
    expect(ingest.stored()).toMatchObject([
      { messageId: 'invoice-2026-001', timestamp: '2025-12-01T10:00:00.000Z' },
    ]);
    expect(ingest.duplicates()).toBe(1);
  });

  it('refuses a call without user or anonymous id, through onError', () => {
    const { tenure, errors } = setup();
    tenure.track({ event: 'login' } as never);
    expect(errors.map((e) => e.code)).toEqual(['missing_identity']);
    expect(tenure.stats).toMatchObject({ dropped: 1, queued: 0 });
  });

  it('never throws into the caller, even when the onError hook throws', () => {
    const { tenure } = setup({
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect(() => tenure.track({ event: 'login' } as never)).not.toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => tenure.user({ userId: 'u_1' }).login({ cyclic })).not.toThrow();
    expect(tenure.stats).toMatchObject({ dropped: 2, queued: 0 });
  });

  it('flush gives up after its timeout and says how many events are still queued', async () => {
    ingest.respondWith(() =>
      errorResponse(503, 'storage_unavailable', 'down', { 'Retry-After': '5' }),
    );
    const { tenure } = setup();
    for (let i = 0; i < 3; i++) tenure.user({ userId: 'u_1' }).login();
    const pending = tenure.flush({ timeout: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(pending).resolves.toBe(3);
  });

  it('shutdown sends what it can and returns what it could not', async () => {
    const { tenure, errors } = setup();
    tenure.user({ userId: 'u_1' }).login();
    await expect(tenure.shutdown()).resolves.toEqual({ unsent: [] });
    expect(ingest.stored()).toHaveLength(1);

    const down = setup();
    ingest.respondWith(() => errorResponse(503, 'shutting_down', 'bye'));
    down.tenure.user({ userId: 'u_2' }).featureUsed('reports');
    const result = down.tenure.shutdown({ timeout: 3_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    const { unsent } = await result;
    expect(unsent).toMatchObject([{ userId: 'u_2', event: 'feature_used' }]);

    down.tenure.user({ userId: 'u_2' }).login();
    expect(down.errors.map((e) => e.code)).toEqual(['client_closed']);
    expect(errors).toEqual([]);
  });

  it('stays within its queue bound while the server is down', async () => {
    ingest.respondWith(() => errorResponse(503, 'overloaded', 'busy', { 'Retry-After': '60' }));
    const { tenure, errors } = setup({ maxQueueEvents: 1_000 });
    const user = tenure.user({ userId: 'u_1', accountId: 'acme' });
    for (let i = 0; i < 5_000; i++) user.featureUsed('reports', { i });
    expect(tenure.stats.queued).toBe(1_000);
    expect(tenure.stats.dropped).toBe(4_000);
    expect(errors.every((e) => e.code === 'queue_overflow')).toBe(true);
    expect(errors.reduce((n, e) => n + e.messages.length, 0)).toBe(4_000);
  });
});
