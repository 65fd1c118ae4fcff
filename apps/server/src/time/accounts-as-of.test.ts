import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { loadSubscriptionSpans } from '../metrics/subscription-history.sql.js';
import { DAY_MS } from './utc-day.js';

/** Midnight UTC today, so "days ago" are whole days. */
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const daysAgo = (days: number, hour = 10) => new Date(today - days * DAY_MS + hour * 3_600_000);

// T1 < T2 < T3 < T4: the account is "A" on starter until T3, then renamed "B" on enterprise
// with a backdated creation date (a CRM import), as a later group call says.
const T1 = daysAgo(40);
const T2 = daysAgo(30);
const T3 = daysAgo(20);
const T4 = daysAgo(10);

const HISTORY = [
  {
    type: 'identify',
    messageId: 'id-1',
    userId: 'ann',
    timestamp: T1.toISOString(),
    traits: { email: 'ann@a.example', role: 'admin' },
  },
  {
    type: 'group',
    messageId: 'group-1',
    userId: 'ann',
    groupId: 'acme',
    timestamp: T1.toISOString(),
    traits: { name: 'A', plan: 'starter', mrr: 50, seats: 5, region: 'eu' },
  },
  ...[38, 35, 32, 28, 25, 22, 18, 15, 12].map((days) => ({
    type: 'track',
    messageId: `login-${days}`,
    userId: 'ann',
    event: 'login',
    timestamp: daysAgo(days).toISOString(),
    context: { groupId: 'acme' },
  })),
  {
    type: 'group',
    messageId: 'group-3',
    userId: 'ann',
    groupId: 'acme',
    timestamp: T3.toISOString(),
    traits: {
      name: 'B',
      plan: 'enterprise',
      mrr: 9000,
      seats: 200,
      createdAt: daysAgo(400).toISOString(),
    },
  },
  {
    type: 'identify',
    messageId: 'id-3',
    userId: 'ann',
    timestamp: T3.toISOString(),
    traits: { role: 'viewer' },
  },
];

interface Factor {
  key: string;
  value: number | null;
  message: string;
}

describe.each(engines)('traits as of a past time on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    // Two flushes, the later calls first: arrival order must not matter, only time.
    await t.ingest(HISTORY.slice(HISTORY.length - 2));
    await t.ingest(HISTORY.slice(0, HISTORY.length - 2));
  }, 60_000);
  afterAll(() => t.close());

  const factor = (factors: Factor[], key: string) => factors.find((f) => f.key === key);

  it('shows the profile with the traits of the time', async () => {
    const before = (await t.get(`/v1/accounts/acme?asOf=${T2.toISOString()}`)).json();
    expect(before).toMatchObject({ name: 'A', plan: 'starter', mrr: 50, seats: 5 });
    expect(before.traits).toEqual({ name: 'A', plan: 'starter', mrr: 50, seats: 5, region: 'eu' });

    const after = (await t.get(`/v1/accounts/acme?asOf=${T4.toISOString()}`)).json();
    expect(after).toMatchObject({ name: 'B', plan: 'enterprise', mrr: 9000, seats: 200 });
    // Later keys win, earlier ones not overwritten stay.
    expect(after.traits).toMatchObject({ name: 'B', plan: 'enterprise', region: 'eu' });

    const now = (await t.get('/v1/accounts/acme')).json();
    expect(now.traits).toEqual(after.traits);
  });

  it('scores risk on the plan, MRR, seats and tenure of the time', async () => {
    const before = (await t.get(`/v1/accounts/acme/risk?asOf=${T2.toISOString()}`)).json();
    expect(factor(before.factors, 'mrr')?.value).toBe(50);
    expect(factor(before.factors, 'plan')?.message).toContain('starter');
    // Ten days after its first event: the backdated createdAt was not known yet.
    expect(factor(before.factors, 'tenure')?.value).toBe(10);

    const after = (await t.get(`/v1/accounts/acme/risk?asOf=${T4.toISOString()}`)).json();
    expect(factor(after.factors, 'mrr')?.value).toBe(9000);
    expect(factor(after.factors, 'plan')?.message).toContain('enterprise');
    expect(factor(after.factors, 'tenure')?.value).toBe(390);
  });

  it('lists and filters accounts by the plan of the time', async () => {
    const starter = (await t.get(`/v1/accounts?asOf=${T2.toISOString()}&plan=starter`)).json();
    expect(starter.accounts).toMatchObject([{ accountId: 'acme', plan: 'starter', mrr: 50 }]);
    const enterprise = await t.get(`/v1/accounts?asOf=${T2.toISOString()}&plan=enterprise`);
    expect(enterprise.json().accounts).toEqual([]);
    const later = (await t.get(`/v1/accounts?asOf=${T4.toISOString()}&plan=enterprise`)).json();
    expect(later.accounts).toMatchObject([{ accountId: 'acme', mrr: 9000 }]);
  });

  it('shows user traits of the time', async () => {
    const before = (await t.get(`/v1/users/ann?asOf=${T2.toISOString()}`)).json();
    expect(before.traits).toEqual({ email: 'ann@a.example', role: 'admin' });
    const after = (await t.get(`/v1/users/ann?asOf=${T4.toISOString()}`)).json();
    expect(after.traits).toEqual({ email: 'ann@a.example', role: 'viewer' });
  });

  it('dates and prices a trait-only customer by the traits of the time', async () => {
    const db = t.app.services.db;
    const [before] = await loadSubscriptionSpans(db, t.projectId, T2);
    expect(before).toMatchObject({ accountId: 'acme', start: T1.getTime() });
    expect(before?.steps[0]).toMatchObject({ plan: 'starter', mrr: 50 });
    const [after] = await loadSubscriptionSpans(db, t.projectId, T4);
    expect(after).toMatchObject({ accountId: 'acme', start: daysAgo(400).getTime() });
    expect(after?.steps[0]).toMatchObject({ plan: 'enterprise', mrr: 9000 });
  });

  it('keeps one history row per call when a batch is retried', async () => {
    const count = async () => {
      const result = await sql<{ accounts: number; users: number }>`
        select (select count(*)::int from account_trait_changes) as accounts,
          (select count(*)::int from user_trait_changes) as users`.execute(t.app.services.db);
      return result.rows[0];
    };
    expect(await count()).toEqual({ accounts: 2, users: 2 });
    const retry = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: t.writeAuth },
      payload: { batch: HISTORY },
    });
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: HISTORY.length });
    // An empty group call (a member joining) changes no traits and is not kept.
    await t.ingest([{ type: 'group', userId: 'bo', groupId: 'acme', timestamp: T4.toISOString() }]);
    expect(await count()).toEqual({ accounts: 2, users: 2 });
    const profile = (await t.get(`/v1/accounts/acme?asOf=${T2.toISOString()}`)).json();
    expect(profile).toMatchObject({ name: 'A', plan: 'starter', mrr: 50 });
  });
});
