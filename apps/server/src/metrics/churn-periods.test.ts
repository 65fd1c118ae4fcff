import { describe, expect, it } from 'vitest';
import { churnByPeriod } from './churn-metrics.js';
import { at, event } from './subscription-events.fixture.js';
import { type SubscriptionEventRow, subscriptionSpans } from './subscription-history.js';

describe('the arithmetic on small histories worked out by hand', () => {
  const ASOF_2027 = at('2027-01-15');
  const months = (history: SubscriptionEventRow[], from: string, to: string) =>
    churnByPeriod(subscriptionSpans(history, ASOF_2027), {
      from: at(from),
      to: at(to),
      period: 'month',
      asOf: ASOF_2027,
    });

  it('gives the spec example: 10 at the start, 5 join, 3 of the 10 leave → 30%', () => {
    const originals = Array.from({ length: 10 }, (_, i) =>
      event(`S${i}`, '2026-01-05', 'started', { mrr: 100 }),
    );
    const history = [
      ...originals,
      // Ends on the first day of March, after midnight: a March churn.
      event('S0', '2026-02-20', 'cancelled', { endsAt: '2026-03-01T09:00:00Z' }),
      // No endsAt: the monthly term from Jan 5 running at the notice (Feb 5–Mar 5) ends Mar 5.
      event('S1', '2026-02-20', 'cancelled'),
      // The last instant of March.
      event('S2', '2026-03-02', 'cancelled', { endsAt: '2026-03-31T23:59:59.999Z' }),
      // Joiners: one at the first instant of March, four during it.
      event('N0', '2026-03-01', 'started', { mrr: 50 }),
      ...[5, 12, 19, 31].map((day, i) =>
        event(`N${i + 1}`, `2026-03-${String(day).padStart(2, '0')}`, 'started', { mrr: 50 }),
      ),
    ].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.at - b.at);
    const [february, march, april] = months(history, '2026-02-01', '2026-04-30');
    // February: the 10 are customers at its start; nobody has left yet.
    expect(february).toMatchObject({ customersAtStart: 10, churned: 0, customersAtEnd: 10 });
    // March: S = 10 (start MRR 1,000); 3 leave (300); 5 join (250), none in S; 12 at the end.
    // Logo churn 3/10 (not 3/15, not 2/10 from 12 = 10 + 5 − 3). Revenue churn 300/1,000;
    // GRR = NRR = (1,000 − 300) / 1,000: joiners' MRR never enters the rates.
    expect(march).toMatchObject({
      customersAtStart: 10,
      new: 5,
      churned: 3,
      customersAtEnd: 12,
      startMrr: 1000,
      newMrr: 250,
      churnedMrr: 300,
      logoChurnRate: 0.3,
      revenueChurnRate: 0.3,
      grossRevenueRetention: 0.7,
      netRevenueRetention: 0.7,
    });
    // April starts with March's 12 (7 originals + 5 joiners).
    expect(april).toMatchObject({ customersAtStart: 12, new: 0, churned: 0 });
  });

  it('puts an end on a period boundary in the period it closes, in UTC', () => {
    const history = [
      event('B1', '2026-01-05', 'started', { mrr: 10 }),
      event('B1', '2026-02-10', 'cancelled', { endsAt: '2026-03-01T00:00:00Z' }),
      event('B2', '2026-01-05', 'started', { mrr: 10 }),
      event('B2', '2026-02-10', 'cancelled', { endsAt: '2026-04-01T00:00:00Z' }),
      event('B3', '2026-01-05', 'started', { mrr: 10 }),
      // April 1 at 01:00 in UTC+2 is March 31, 23:00 UTC: a March churn.
      event('B3', '2026-02-10', 'cancelled', { endsAt: '2026-04-01T01:00:00+02:00' }),
      event('B4', '2026-01-05', 'started', { mrr: 10 }),
      // March 31, 23:00 in UTC−2 is April 1, 01:00 UTC: an April churn.
      event('B4', '2026-02-10', 'cancelled', { endsAt: '2026-03-31T23:00:00-02:00' }),
    ];
    const rows = months(history, '2026-02-01', '2026-04-30');
    // B1 is a customer until the first instant of March: it churns in February and is not in
    // March's start. B2 ends at the first instant of April: a March churn, not in April's S.
    expect(rows.map((row) => [row.period, row.customersAtStart, row.churned])).toEqual([
      ['2026-02', 4, 1], // B1
      ['2026-03', 3, 2], // B2, B3
      ['2026-04', 1, 1], // B4
    ]);
  });

  it('reports by quarter and by year, and by billing interval', () => {
    const history = [
      // Monthly from Dec 15; notice Feb 20 → the term Feb 15–Mar 15 ends Mar 15 (Q1).
      event('Y1', '2025-12-15', 'started', { mrr: 100 }),
      event('Y1', '2026-02-20', 'cancelled'),
      // Yearly from 2025-11-01; notice in February → the year ends 2026-11-01 (Q4).
      event('Y2', '2025-11-01', 'started', { mrr: 100, interval: 'year' }),
      event('Y2', '2026-02-01', 'cancelled'),
      event('Y3', '2026-02-01', 'started', { mrr: 50 }), // joins in Q1
      event('Y4', '2025-10-01', 'started', { mrr: 100 }),
      event('Y4', '2026-05-10', 'changed', { mrr: 200 }), // upgrade in Q2
    ];
    const spans = subscriptionSpans(history, ASOF_2027);
    const quarters = churnByPeriod(spans, {
      from: at('2026-01-01'),
      to: at('2026-12-31'),
      period: 'quarter',
      asOf: ASOF_2027,
    });
    // Q1: S = Y1, Y2, Y4 (300); Y1 leaves; Y3 new. Q2: S = Y2, Y3, Y4 (250); Y4 +100.
    // Q3: S = Y2, Y3, Y4 (350). Q4: same S; Y2 ends Nov 1: 1/3, 100/350.
    expect(
      quarters.map((q) => [
        q.period,
        q.customersAtStart,
        q.new,
        q.churned,
        q.startMrr,
        q.expansionMrr,
      ]),
    ).toEqual([
      ['2026-Q1', 3, 1, 1, 300, 0],
      ['2026-Q2', 3, 0, 0, 250, 100],
      ['2026-Q3', 3, 0, 0, 350, 0],
      ['2026-Q4', 3, 0, 1, 350, 0],
    ]);
    expect(quarters[3]).toMatchObject({ logoChurnRate: 0.3333, revenueChurnRate: 0.2857 });
    const [year] = churnByPeriod(spans, {
      from: at('2026-06-01'),
      to: at('2026-06-01'),
      period: 'year',
      asOf: ASOF_2027,
      groupOf: (span, when) => span.steps.filter((step) => step.at <= when).at(-1)!.interval,
    });
    // 2026: S = Y1, Y2, Y4 (300); Y1 and Y2 leave (200); Y4 +100; Y3 new, outside the rates.
    // Logo 2/3; revenue churn 200/300; GRR (300 − 200)/300; NRR (300 − 200 + 100)/300.
    expect(year).toMatchObject({
      period: '2026',
      start: '2026-01-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
      customersAtStart: 3,
      churned: 2,
      new: 1,
      logoChurnRate: 0.6667,
      revenueChurnRate: 0.6667,
      grossRevenueRetention: 0.3333,
      netRevenueRetention: 0.6667,
    });
    // By interval: yearly Y2 (S 1, churned 1); monthly Y1, Y4 (S 2, churned 1) and Y3 (new).
    expect(year!.groups!.map((g) => [g.group, g.customersAtStart, g.churned, g.new])).toEqual([
      ['month', 2, 1, 1],
      ['year', 1, 1, 0],
    ]);
  });

  it('counts a return after the end as new in its period, not in that period’s start', () => {
    const history = [
      event('R1', '2026-01-10', 'started', { mrr: 40 }),
      event('R1', '2026-01-20', 'cancelled', { endsAt: '2026-02-15' }),
      event('R1', '2026-04-05', 'renewed', { mrr: 60 }), // comes back in April
      event('R2', '2026-01-10', 'started', { mrr: 30 }),
      event('R2', '2026-01-20', 'cancelled', { endsAt: '2026-02-15' }),
      event('R2', '2026-02-20', 'started', { mrr: 30 }), // back within February
    ].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.at - b.at);
    const rows = months(history, '2026-02-01', '2026-05-31');
    expect(
      rows.map((r) => [r.period, r.customersAtStart, r.churned, r.new, r.reactivated, r.newMrr]),
    ).toEqual([
      ['2026-02', 2, 2, 1, 1, 30], // both leave on Feb 15; R2 returns on Feb 20
      ['2026-03', 1, 0, 0, 0, 0], // R2
      ['2026-04', 1, 0, 1, 1, 60], // R1 returns: new, not in S
      ['2026-05', 2, 0, 0, 0, 0],
    ]);
  });

  it('keeps revenue rates null, never NaN, when no customer at the start has MRR', () => {
    const history = [
      event('Z1', '2026-01-10', 'started', { plan: 'free' }),
      event('Z2', '2026-01-10', 'started', { plan: 'free' }),
      event('Z2', '2026-02-01', 'cancelled', { endsAt: '2026-02-20' }),
      event('Z3', '2026-02-05', 'started', { mrr: 100 }), // a paying joiner is not in S
    ];
    const [february] = months(history, '2026-02-01', '2026-02-28');
    expect(february).toMatchObject({
      customersAtStart: 2,
      churned: 1,
      logoChurnRate: 0.5,
      startMrr: 0,
      newMrr: 100,
      revenueChurnRate: null,
      contractionRate: null,
      grossRevenueRetention: null,
      netRevenueRetention: null,
    });
  });
});
