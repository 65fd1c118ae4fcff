import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectBadRequests, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

/**
 * A small hand-made history; every expected number below is counted by hand from it.
 * Weeks start on Monday: Oct 5, 12, 19, 26 and Nov 2, 2026.
 */
const HISTORY = [
  {
    type: 'group',
    userId: 'ann',
    groupId: 'acme',
    timestamp: '2026-10-01T09:00:00Z',
    traits: { name: 'Acme', plan: 'pro', mrr: 500, seats: 10 },
  },
  { type: 'group', userId: 'bob', groupId: 'acme', timestamp: '2026-10-01T09:30:00Z' },
  { type: 'group', userId: 'cy', groupId: 'globex', timestamp: '2026-10-01T10:00:00Z' },
  track('ann', 'login', '2026-10-05T09:00:00Z'),
  track('ann', 'feature_used', '2026-10-05T09:05:00Z', { feature: 'reports' }),
  track('bob', 'login', '2026-10-05T10:00:00Z'),
  track('cy', 'login', '2026-10-06T08:00:00Z', {}, 'globex'),
  track('ann', 'feature_used', '2026-10-07T15:00:00Z', { feature: 'reports' }),
  track('bob', 'feature_used', '2026-10-11T23:30:00Z', { feature: 'exports' }), // a Sunday
  track('ann', 'login', '2026-10-12T00:10:00Z'), // the next Monday
  track('bob', 'support_ticket_opened', '2026-10-13T11:00:00Z', { ticketId: 't1' }),
  track('ann', 'email_opened', '2026-10-13T12:00:00Z', { campaign: 'tips' }),
  // Week of Oct 19: nothing.
  track('ann', 'login', '2026-10-28T08:00:00Z'),
  track('ann', 'feature_used', '2026-10-28T12:00:00Z', { feature: 'reports' }),
  {
    type: 'page',
    userId: 'ann',
    name: 'Dashboard',
    timestamp: '2026-11-02T09:00:00Z',
    context: { groupId: 'acme' },
  },
];

function track(
  userId: string,
  event: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
  account = 'acme',
) {
  return { type: 'track', userId, event, timestamp, properties, context: { groupId: account } };
}

const ZERO = {
  events: 0,
  logins: 0,
  feature_uses: 0,
  tickets_opened: 0,
  tickets_resolved: 0,
  tickets_unsatisfied: 0,
  password_resets: 0,
  kb_views: 0,
  email_opens: 0,
  email_clicks: 0,
  content_views: 0,
  milestones: 0,
  page_views: 0,
  activeDays: 0,
  activeUsers: 0,
};

describe.each(engines)('engagement API on %s', (engine) => {
  let t: TestApp;
  let otherProjectKey: string;

  const get = (url: string, key?: string) => t.get(url, key);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.ingest(HISTORY.map((message, i) => ({ messageId: `m${i}`, ...message })));
    otherProjectKey = await t.otherProjectKey();
  });
  afterAll(() => t.close());

  it('gives an account timeline by week, zero-filling empty weeks', async () => {
    const response = await get(
      '/v1/accounts/acme/engagement?interval=week&from=2026-10-05&to=2026-11-08&asOf=2026-11-10T00:00:00Z',
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      accountId: 'acme',
      interval: 'week',
      from: '2026-10-05',
      to: '2026-11-08',
    });
    expect(body.buckets).toEqual([
      // ann: login, reports ×2 (Oct 5, 7); bob: login, exports (Sunday Oct 11).
      {
        ...ZERO,
        start: '2026-10-05',
        events: 5,
        logins: 2,
        feature_uses: 3,
        activeDays: 3,
        activeUsers: 2,
      },
      // ann's Monday login; bob's ticket and ann's email open are not product use.
      {
        ...ZERO,
        start: '2026-10-12',
        events: 3,
        logins: 1,
        tickets_opened: 1,
        email_opens: 1,
        activeDays: 1,
        activeUsers: 1,
      },
      { ...ZERO, start: '2026-10-19' },
      {
        ...ZERO,
        start: '2026-10-26',
        events: 2,
        logins: 1,
        feature_uses: 1,
        activeDays: 1,
        activeUsers: 1,
      },
      { ...ZERO, start: '2026-11-02', events: 1, page_views: 1, activeDays: 1, activeUsers: 1 },
    ]);
  });

  it('gives months, capping `to` at the day of asOf', async () => {
    const body = (
      await get(
        '/v1/accounts/acme/engagement?interval=month&from=2026-10-01&to=2026-12-31&asOf=2026-11-10T00:00:00Z',
      )
    ).json();
    expect(body.to).toBe('2026-11-10');
    expect(body.buckets).toEqual([
      {
        ...ZERO,
        start: '2026-10-01',
        events: 10,
        logins: 4,
        feature_uses: 4,
        tickets_opened: 1,
        email_opens: 1,
        activeDays: 5,
        activeUsers: 2,
      },
      { ...ZERO, start: '2026-11-01', events: 1, page_views: 1, activeDays: 1, activeUsers: 1 },
    ]);
  });

  it('counts only what happened before asOf, within its day too', async () => {
    const at10 = (
      await get(
        '/v1/accounts/acme/engagement?interval=day&from=2026-10-27&asOf=2026-10-28T10:00:00Z',
      )
    ).json();
    expect(at10.buckets).toEqual([
      { ...ZERO, start: '2026-10-27' },
      { ...ZERO, start: '2026-10-28', events: 1, logins: 1, activeDays: 1, activeUsers: 1 },
    ]);
    const at13 = (
      await get(
        '/v1/accounts/acme/engagement?interval=day&from=2026-10-27&asOf=2026-10-28T13:00:00Z',
      )
    ).json();
    expect(at13.buckets[1]).toMatchObject({ events: 2, logins: 1, feature_uses: 1 });
    // Before the account's first event it does not exist.
    expect((await get('/v1/accounts/acme/engagement?asOf=2026-09-30T00:00:00Z')).statusCode).toBe(
      404,
    );
  });

  it("gives a user's timeline across accounts", async () => {
    const body = (
      await get(
        '/v1/users/bob/engagement?interval=week&from=2026-10-05&to=2026-10-18&asOf=2026-11-10T00:00:00Z',
      )
    ).json();
    expect(body.userId).toBe('bob');
    expect(body.buckets).toEqual([
      {
        ...ZERO,
        start: '2026-10-05',
        events: 2,
        logins: 1,
        feature_uses: 1,
        activeDays: 2,
        activeUsers: 1,
      },
      { ...ZERO, start: '2026-10-12', events: 1, tickets_opened: 1 },
    ]);
  });

  it('reports the cadence with the project inactivity threshold', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { inactivityDays: 14 },
    });
    // Last product use Nov 2: the 14-day threshold passes on Nov 16.
    const body = (await get('/v1/accounts/acme/engagement?asOf=2026-11-20T00:00:00Z')).json();
    expect(body.cadence).toMatchObject({ current: 'dormant', since: '2026-11-16' });
    expect(body.cadence.shifts.at(-1)).toMatchObject({ on: '2026-11-16', to: 'dormant' });
    const profile = (await get('/v1/accounts/acme?asOf=2026-11-20T00:00:00Z')).json();
    expect(profile.cadence).toEqual({ current: 'dormant', since: '2026-11-16' });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: {},
    });
  });

  it('reports feature adoption against the key features', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { keyFeatures: ['reports', 'exports', 'integrations'] },
    });
    const body = (await get('/v1/accounts/acme/features?asOf=2026-10-29T00:00:00Z')).json();
    // Active in the 28 days Oct 2–28: ann and bob.
    expect(body).toMatchObject({
      keyFeaturesSource: 'configured',
      activeUsers28: 2,
      otherFeatures: [],
    });
    expect(body.keyFeatures).toEqual([
      {
        feature: 'reports',
        key: true,
        adopted: true,
        firstUsed: '2026-10-05',
        lastUsed: '2026-10-28',
        uses: 3,
        uses28: 3,
        users28: 1,
        userShare28: 0.5,
        peerShare: null,
      },
      {
        feature: 'exports',
        key: true,
        adopted: true,
        firstUsed: '2026-10-11',
        lastUsed: '2026-10-11',
        uses: 1,
        uses28: 1,
        users28: 1,
        userShare28: 0.5,
        peerShare: null,
      },
      {
        feature: 'integrations',
        key: true,
        adopted: false,
        firstUsed: null,
        lastUsed: null,
        uses: 0,
        uses28: 0,
        users28: 0,
        userShare28: 0,
        peerShare: null,
      },
    ]);
    // One account on the plan: too few peers for a share.
    expect(body.peers).toEqual({ plan: 'pro', accounts: 1 });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: {},
    });
    // Inferred: features by the number of accounts using them, then by name.
    const inferred = (await get('/v1/accounts/acme/features?asOf=2026-10-29T00:00:00Z')).json();
    expect(inferred.keyFeaturesSource).toBe('inferred');
    expect(inferred.keyFeatures.map((f: { feature: string }) => f.feature)).toEqual([
      'exports',
      'reports',
    ]);
  });

  it('shows account and user profiles as of a time', async () => {
    const account = (await get('/v1/accounts/acme?asOf=2026-11-10T00:00:00Z')).json();
    expect(account).toMatchObject({
      accountId: 'acme',
      name: 'Acme',
      plan: 'pro',
      mrr: 500,
      seats: 10,
      traits: { name: 'Acme', plan: 'pro', mrr: 500, seats: 10 },
      firstSeen: '2026-10-01T09:00:00.000Z',
      lastSeen: '2026-11-02T09:00:00.000Z',
      users: {
        total: 2,
        recent: [
          { userId: 'ann', lastSeenDay: '2026-11-02' },
          { userId: 'bob', lastSeenDay: '2026-10-13' },
        ],
      },
    });
    expect(account.risk).toMatchObject({ tier: expect.any(String), score: expect.any(Number) });
    const earlier = (await get('/v1/accounts/acme?asOf=2026-10-06T00:00:00Z')).json();
    expect(earlier.lastSeen).toBe('2026-10-05T10:00:00.000Z');

    const user = (await get('/v1/users/ann?asOf=2026-11-10T00:00:00Z')).json();
    expect(user).toMatchObject({
      userId: 'ann',
      accountId: 'acme',
      accounts: [{ accountId: 'acme' }],
      firstSeen: '2026-10-01T09:00:00.000Z',
      lastSeen: '2026-11-02T09:00:00.000Z',
    });
    expect((await get('/v1/users/nobody')).json().error.code).toBe('not_found');
  });

  it('gives DAU, WAU, MAU, stickiness and active accounts per day', async () => {
    const body = (
      await get('/v1/metrics/engagement?from=2026-10-05&to=2026-10-12&asOf=2026-11-10T00:00:00Z')
    ).json();
    expect(body.days).toHaveLength(8);
    const [oct5, oct6] = body.days;
    expect(oct5).toEqual({
      day: '2026-10-05',
      dau: 2,
      wau: 2,
      mau: 2,
      stickiness: 1,
      activeAccounts: 1,
    });
    // cy (globex) logs in on Oct 6.
    expect(oct6).toEqual({
      day: '2026-10-06',
      dau: 1,
      wau: 3,
      mau: 3,
      stickiness: 0.333,
      activeAccounts: 2,
    });
    // Oct 12: ann; the week Oct 6–12 also has cy (6th) and bob (11th).
    expect(body.days[7]).toEqual({
      day: '2026-10-12',
      dau: 1,
      wau: 3,
      mau: 3,
      stickiness: 0.333,
      activeAccounts: 2,
    });
  });

  it("never shows another project's accounts", async () => {
    for (const url of [
      '/v1/accounts/acme',
      '/v1/accounts/acme/engagement',
      '/v1/accounts/acme/features',
      '/v1/users/ann',
      '/v1/users/ann/engagement',
    ]) {
      const response = await get(url, otherProjectKey);
      expect(response.statusCode, url).toBe(404);
    }
    const metrics = (
      await get('/v1/metrics/engagement?from=2026-10-05&to=2026-10-06', otherProjectKey)
    ).json();
    expect(metrics.days.every((day: { mau: number }) => day.mau === 0)).toBe(true);
  });

  it('answers bad parameters with a clear 400', async () => {
    await expectBadRequests(t, [
      '/v1/accounts/acme/engagement?interval=year',
      '/v1/accounts/acme/engagement?from=2026-11-05&to=2026-10-01',
      '/v1/accounts/acme/engagement?from=yesterday',
      '/v1/accounts/acme/engagement?interval=day&from=2024-01-01',
      '/v1/accounts/acme/engagement?interval=day&from=0001-01-01',
      '/v1/accounts/acme/engagement?from=2026-02-30',
      '/v1/accounts/acme/risk?asOf=2026-04-31',
      '/v1/accounts/acme/engagement?interval=day&interval=week',
      '/v1/metrics/engagement?to=2026-11-31',
      '/v1/accounts/acme?asOf=soon',
      '/v1/metrics/engagement?from=2024-01-01',
      '/v1/accounts/ac%00me',
      '/v1/users/a%00nn/engagement',
    ]);
    expect((await get('/v1/accounts/acme/engagement', 'ts_wrong')).statusCode).toBe(401);
  });
});
