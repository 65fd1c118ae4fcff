import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectBadRequests, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { detectTransitions } from '../../alerts/detect-transitions.js';
import { DAY_MS } from '../../time/utc-day.js';

const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY_MS);

interface FeedBody {
  alerts: {
    id: string;
    type: string;
    detectedAt: string;
    account: { id: string; name: string | null };
    transition: Record<string, unknown>;
    risk: { score: number; tier: string };
  }[];
  nextCursor: string | null;
}

/**
 * An account whose two users log in and use reports every day from 90 to 40 days ago, then go
 * silent; `milestone` adds one reached 35 days ago.
 */
function decayingAccount(accountId: string, name: string, milestone: boolean) {
  const at = (days: number, minutes = 0) =>
    new Date(daysAgo(days).getTime() + minutes * 60_000).toISOString();
  const batch: object[] = [
    {
      type: 'group',
      userId: `${accountId}-u1`,
      groupId: accountId,
      traits: { name, plan: 'pro', mrr: 400 },
      timestamp: at(90),
    },
    { type: 'group', userId: `${accountId}-u2`, groupId: accountId, timestamp: at(90) },
  ];
  for (let day = 90; day >= 40; day -= 1) {
    for (const user of ['u1', 'u2']) {
      const base = { userId: `${accountId}-${user}`, context: { groupId: accountId } };
      batch.push({ ...base, type: 'track', event: 'login', timestamp: at(day) });
      batch.push({
        ...base,
        type: 'track',
        event: 'feature_used',
        properties: { feature: 'reports' },
        timestamp: at(day, 1),
      });
    }
  }
  if (milestone) {
    batch.push({
      type: 'track',
      userId: `${accountId}-u1`,
      event: 'milestone_reached',
      properties: { milestone: 'first_report_shared' },
      timestamp: at(35),
      context: { groupId: accountId },
    });
  }
  return batch.map((message, i) => ({ messageId: `${accountId}-${i}`, ...message }));
}

/** Detection every 3 days from 42 days ago to now, as the minute job would have run it. */
const EVALUATIONS = Array.from({ length: 15 }, (_, k) => daysAgo(42 - 3 * k));

describe.each(engines)('GET /v1/alerts on %s', (engine) => {
  let t: TestApp;
  const webhookIds: string[] = [];
  const feed = async (query = '') => {
    const response = await t.get(`/v1/alerts${query ? `?${query}` : ''}`);
    expect(response.statusCode, query).toBe(200);
    return response.json() as FeedBody;
  };
  const walk = async (query: string, limit: number) => {
    const seen: FeedBody['alerts'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: FeedBody = await feed(
        `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(body.alerts.length).toBeLessThanOrEqual(limit);
      seen.push(...body.alerts);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return seen;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, {
      TENURE_JOBS_INTERVAL_MINUTES: 0,
      TENURE_WEBHOOK_PRIVATE_NETWORKS: 'allow',
    });
    // Twins decay identically; solo also reaches a milestone.
    for (const [id, name, milestone] of [
      ['twin-a', 'Twin A', false],
      ['twin-b', 'Twin B', false],
      ['solo', 'Solo Ltd', true],
    ] as const) {
      const batch = decayingAccount(id, name, milestone);
      for (let i = 0; i < batch.length; i += 500) await t.ingest(batch.slice(i, i + 500));
    }
    // Two webhooks subscribed to everything, 70 days ago: each gets every transition.
    for (const url of ['http://127.0.0.1:9/one', 'http://127.0.0.1:9/two']) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { authorization: `Bearer ${t.secretKey}` },
        payload: { url },
      });
      expect(created.statusCode).toBe(201);
      webhookIds.push(created.json().id);
    }
    await t.app.services.db
      .updateTable('webhooks')
      .set({ created_at: daysAgo(70) })
      .where('project_id', '=', t.projectId)
      .execute();
    // The project (and so its feed) started then too.
    await sql`update projects set created_at = ${daysAgo(70)} where id = ${t.projectId}`.execute(
      t.app.services.db,
    );
    for (const asOf of EVALUATIONS) await detectTransitions(t.app.services.db, t.projectId, asOf);
  }, 120_000);
  afterAll(() => t?.close());

  it('lists each transition once across webhooks, newest first, with the account', async () => {
    const body = await feed('limit=200');
    expect(body.nextCursor).toBeNull();
    const deliveries = (await t.get(`/v1/webhooks/${webhookIds[0]}/deliveries?limit=200`)).json()
      .deliveries;
    // Both webhooks hold every transition; the feed shows each once.
    expect(body.alerts.length).toBe(deliveries.length);
    expect(body.alerts.length).toBeGreaterThan(6);
    const times = body.alerts.map((alert) => alert.detectedAt);
    expect(times).toEqual([...times].sort().reverse());
    const solo = body.alerts.filter((alert) => alert.account.id === 'solo');
    expect(solo.map((alert) => alert.type)).toContain('milestone_reached');
    expect(solo.find((alert) => alert.type === 'milestone_reached')?.transition).toMatchObject({
      milestone: 'first_report_shared',
    });
    const inactive = solo.find((alert) => alert.type === 'inactive')!;
    expect(inactive.account).toMatchObject({ id: 'solo', name: 'Solo Ltd', plan: 'pro' });
    expect(inactive.transition).toMatchObject({ threshold: 21 });
    expect(inactive.risk.score).toBeGreaterThan(0);
  });

  it('keeps the same transition of two accounts apart', async () => {
    const kinds = async (accountId: string) =>
      (await feed(`accountId=${accountId}&limit=200`)).alerts.map((alert) => alert.type).sort();
    const [a, b] = [await kinds('twin-a'), await kinds('twin-b')];
    expect(a).toContain('tier_worsened');
    expect(a).toContain('inactive');
    expect(b).toEqual(a);
  });

  it('pages by cursor exactly once through every alert', async () => {
    const all = (await feed('limit=200')).alerts;
    const walked = await walk('', 3);
    expect(walked.map((alert) => alert.id)).toEqual(all.map((alert) => alert.id));
    const milestones = await walk('type=milestone_reached,inactive', 1);
    expect(milestones.map((alert) => alert.id)).toEqual(
      all.filter((a) => ['milestone_reached', 'inactive'].includes(a.type)).map((a) => a.id),
    );
  });

  it('filters by type, account and time, together', async () => {
    const all = (await feed('limit=200')).alerts;
    const tier = (await feed('type=tier_worsened&limit=200')).alerts;
    expect(tier.length).toBe(all.filter((alert) => alert.type === 'tier_worsened').length);
    expect(tier.every((alert) => alert.type === 'tier_worsened')).toBe(true);
    const middle = all[Math.floor(all.length / 2)]!.detectedAt;
    const since = (await feed(`since=${middle}&limit=200`)).alerts;
    expect(since.map((a) => a.id)).toEqual(
      all.filter((alert) => alert.detectedAt >= middle).map((a) => a.id),
    );
    const both = (await feed(`type=inactive&accountId=twin-b&since=${middle}`)).alerts;
    expect(both.map((a) => a.id)).toEqual(
      all
        .filter((a) => a.type === 'inactive' && a.account.id === 'twin-b' && a.detectedAt >= middle)
        .map((a) => a.id),
    );
    expect((await feed('accountId=nobody')).alerts).toEqual([]);
  });

  it('keeps the feed when a webhook is removed', async () => {
    const before = (await feed('limit=200')).alerts.map((alert) => alert.id);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/webhooks/${webhookIds[0]}`,
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(removed.statusCode).toBe(204);
    expect((await feed('limit=200')).alerts.map((alert) => alert.id)).toEqual(before);
  });

  it('refuses bad parameters with invalid_request, and other projects see nothing', async () => {
    const first = await feed('limit=1');
    const other = await feed('type=inactive&limit=1');
    await expectBadRequests(t, [
      '/v1/alerts?type=gone',
      '/v1/alerts?type=',
      '/v1/alerts?limit=0',
      '/v1/alerts?limit=201',
      '/v1/alerts?since=soon',
      '/v1/alerts?since=1999-12-31',
      '/v1/alerts?accountId=',
      '/v1/alerts?cursor=not-a-cursor',
      `/v1/alerts?type=inactive&cursor=${first.nextCursor}`,
      `/v1/alerts?cursor=${other.nextCursor}`,
      '/v1/alerts?account=solo',
      '/v1/alerts?limit=1&limit=2',
    ]);
    const forged = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...forged, at: 'yesterday' })).toString(
      'base64url',
    );
    await expectBadRequests(t, [`/v1/alerts?cursor=${edited}`]);
    const outsider = await t.get('/v1/alerts', await t.otherProjectKey());
    expect(outsider.json()).toEqual({ alerts: [], nextCursor: null });
    expect((await t.get('/v1/alerts', 'sk_wrong')).statusCode).toBe(401);
  });
});
