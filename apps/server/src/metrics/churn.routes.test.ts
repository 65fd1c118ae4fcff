import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectBadRequests, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

function subscription(account: string, event: string, timestamp: string, properties: object) {
  return {
    type: 'track',
    userId: `owner-${account}`,
    event: `subscription_${event}`,
    timestamp,
    properties,
    context: { groupId: account },
  };
}

/** October 2026: acme stays, beta cancels (term ends Oct 10), gamma has only traits, delta joins. */
const HISTORY = [
  subscription('acme', 'started', '2026-06-15T00:00:00Z', { plan: 'starter', mrr: 100 }),
  subscription('beta', 'started', '2026-07-10T00:00:00Z', { plan: 'pro', mrr: 200 }),
  subscription('beta', 'cancelled', '2026-10-05T00:00:00Z', { reason: 'price' }),
  {
    type: 'group',
    userId: 'owner-gamma',
    groupId: 'gamma',
    timestamp: '2026-09-01T00:00:00Z',
    traits: { plan: 'team', mrr: 300, createdAt: '2026-05-01T00:00:00Z' },
  },
  subscription('delta', 'started', '2026-10-20T00:00:00Z', {
    plan: 'pro',
    mrr: 50,
    interval: 'year',
  }),
];
const ASOF = 'asOf=2026-11-15T00:00:00Z';

describe.each(engines)('churn metrics API on %s', (engine) => {
  let t: TestApp;
  let otherKey: string;
  const get = (url: string, key?: string) => t.get(url, key);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.ingest(HISTORY.map((message, i) => ({ messageId: `s${i}`, ...message })));
    otherKey = await t.otherProjectKey();
  });
  afterAll(() => t.close());

  it('reports a period from stored events and account traits', async () => {
    const response = await get(`/v1/metrics/churn?from=2026-10-01&to=2026-10-31&${ASOF}`);
    expect(response.statusCode).toBe(200);
    // At the start: acme 100, beta 200, gamma 300 (traits, created May 1). beta churns.
    expect(response.json().periods).toEqual([
      expect.objectContaining({
        period: '2026-10',
        customersAtStart: 3,
        churned: 1,
        new: 1,
        customersAtEnd: 3,
        startMrr: 600,
        churnedMrr: 200,
        newMrr: 50,
        logoChurnRate: 0.3333,
        revenueChurnRate: 0.3333,
        grossRevenueRetention: 0.6667,
        netRevenueRetention: 0.6667,
      }),
    ]);
  });

  it('defaults to the 12 periods up to asOf, the last one partial', async () => {
    const periods = (await get(`/v1/metrics/churn?${ASOF}`)).json().periods;
    expect(periods.map((p: { period: string }) => p.period)).toEqual(
      // Eleven whole months before November 2026, and November itself.
      [
        '2025-12',
        ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
      ],
    );
    expect(periods.at(-1)).toMatchObject({ period: '2026-11', partial: true });
  });

  it('groups by plan and by billing interval', async () => {
    const byPlan = (
      await get(`/v1/metrics/churn?from=2026-10-01&to=2026-10-31&groupBy=plan&${ASOF}`)
    ).json();
    const groups = byPlan.periods[0].groups.map(
      (g: { group: string; customersAtStart: number; churned: number; new: number }) => [
        g.group,
        g.customersAtStart,
        g.churned,
        g.new,
      ],
    );
    expect(groups).toEqual([
      ['pro', 1, 1, 1],
      ['starter', 1, 0, 0],
      ['team', 1, 0, 0],
    ]);
    const byInterval = (
      await get(`/v1/metrics/churn?from=2026-10-01&to=2026-10-31&groupBy=interval&${ASOF}`)
    ).json();
    expect(
      byInterval.periods[0].groups.map((g: { group: string; new: number }) => [g.group, g.new]),
    ).toEqual([
      ['month', 0],
      ['year', 1],
    ]);
  });

  it('gives the cohort matrix and churn reasons', async () => {
    const retention = (await get(`/v1/metrics/retention?basis=logo&${ASOF}`)).json();
    expect(retention.cohorts).toEqual([
      { cohort: '2026-05', accounts: 1, startMrr: 300, retention: [1, 1, 1, 1, 1, 1] },
      { cohort: '2026-06', accounts: 1, startMrr: 100, retention: [1, 1, 1, 1, 1] },
      { cohort: '2026-07', accounts: 1, startMrr: 200, retention: [1, 1, 1, 0] },
      { cohort: '2026-10', accounts: 1, startMrr: 50, retention: [1] },
    ]);
    const recent = (await get(`/v1/metrics/retention?from=2026-07-15&${ASOF}`)).json();
    expect(recent.cohorts.map((c: { cohort: string }) => c.cohort)).toEqual(['2026-07', '2026-10']);
    const reasons = (await get(`/v1/metrics/churn-reasons?from=2026-10-01&${ASOF}`)).json();
    expect(reasons.reasons).toEqual([{ reason: 'price', cancellations: 1, lostMrr: 200 }]);
    const asOfSept = (
      await get('/v1/metrics/churn-reasons?from=2026-10-01&asOf=2026-10-09T00:00:00Z')
    ).json();
    expect(asOfSept.reasons).toEqual([]);
  });

  it("never counts another project's customers", async () => {
    const other = (
      await get(`/v1/metrics/churn?from=2026-10-01&to=2026-10-31&${ASOF}`, otherKey)
    ).json();
    expect(other.periods[0]).toMatchObject({ customersAtStart: 0, new: 0, logoChurnRate: null });
  });

  it('groups by size band and tenure, and reports quarters', async () => {
    const url = `/v1/metrics/churn?from=2026-10-01&to=2026-10-31&${ASOF}&groupBy=`;
    const rows = (groupBy: string) =>
      get(url + groupBy).then((response) =>
        response
          .json()
          .periods[0].groups.map(
            (g: { group: string; customersAtStart: number; churned: number; new: number }) => [
              g.group,
              g.customersAtStart,
              g.churned,
              g.new,
            ],
          ),
      );
    // Default bands 100/1,000/10,000: acme 100, beta 200, gamma 300 are 100-1000 (a band
    // holds its lower bound); delta (50) joins in 0-100.
    expect(await rows('size')).toEqual([
      ['0-100', 0, 0, 1],
      ['100-1000', 3, 1, 0],
    ]);
    // On Oct 1 (90 days to be established): acme (since Jun 15, 108 days) and gamma (May 1)
    // are established; beta (Jul 10, 83 days) is new and churns; delta joins, new.
    expect(await rows('tenure')).toEqual([
      ['established', 2, 0, 0],
      ['new', 1, 1, 1],
    ]);
    const quarter = (
      await get(`/v1/metrics/churn?from=2026-10-01&to=2026-12-31&period=quarter&${ASOF}`)
    ).json();
    // Q4 2026 up to Nov 15: the same three at the start, beta gone, delta new.
    expect(quarter.periods).toEqual([
      expect.objectContaining({
        period: '2026-Q4',
        partial: true,
        customersAtStart: 3,
        churned: 1,
        new: 1,
        logoChurnRate: 0.3333,
      }),
    ]);
  });

  it('gives the revenue cohort matrix', async () => {
    const revenue = (await get(`/v1/metrics/retention?basis=revenue&${ASOF}`)).json();
    // July: beta's 200 until it leaves on Oct 10 (ends of Jul, Aug, Sep kept; Oct not).
    expect(revenue.cohorts.map((c: { retention: number[] }) => c.retention)).toEqual([
      [1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0],
      [1],
    ]);
  });

  it('answers a huge range with a 400 and a long one with every period', async () => {
    // Refused by counting, not by building 119,988 periods (the test timeout would catch that).
    const huge = await get('/v1/metrics/churn?from=0001-01-01&to=9999-12-31&period=month');
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.message).toBe('The range holds more than 120 months');
    // to is capped at asOf: 1990 … 2026 is 37 years.
    const years = await get(`/v1/metrics/churn?from=1990-01-01&to=3000-01-01&period=year&${ASOF}`);
    expect(years.statusCode).toBe(200);
    expect(years.json().periods.map((p: { period: string }) => p.period)).toEqual(
      Array.from({ length: 37 }, (_, i) => String(1990 + i)),
    );
  });

  it('answers bad parameters with a clear 400', async () => {
    await expectBadRequests(t, [
      '/v1/metrics/churn?period=week',
      '/v1/metrics/churn?period=',
      '/v1/metrics/churn?period=month&period=year',
      '/v1/metrics/churn?from=2026-11-01&to=2026-10-01',
      '/v1/metrics/churn?from=1990-01-01&period=month',
      '/v1/metrics/churn?from=1900-01-01&to=3000-01-01',
      '/v1/metrics/churn?from=1900-01-01&to=3000-01-01&period=year',
      '/v1/metrics/churn?from=2026-02-30',
      '/v1/metrics/churn?from=',
      '/v1/metrics/churn?to=',
      '/v1/metrics/churn?from=2026-01-01&from=2026-02-01',
      '/v1/metrics/churn?groupBy=color',
      '/v1/metrics/churn?groupBy=',
      '/v1/metrics/churn?asOf=1999-12-31',
      '/v1/metrics/churn?asOf=2026-04-31',
      '/v1/metrics/retention?basis=profit',
      '/v1/metrics/retention?cohort=week',
      '/v1/metrics/retention?from=2026-13-01',
      '/v1/metrics/churn-reasons?from=tomorrow',
      '/v1/metrics/churn-reasons?from=2026-11-01&to=2026-10-01',
      '/v1/metrics/churn-reasons?plan=',
      '/v1/metrics/churn-reasons?plan=a&plan=b',
    ]);
  });
});
