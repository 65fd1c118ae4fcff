import { describe, expect, it } from 'vitest';
import { periodLabel, periodStart, termEnd } from '../time/calendar.js';
import { churnByPeriod } from './churn-metrics.js';
import { churnReasons } from './churn-reasons.js';
import { cohortRetention } from './cohort-retention.js';
import { at, event } from './subscription-events.fixture.js';
import { subscriptionSpans } from './subscription-history.js';

/**
 * The history behind the October 2026 figures worked out below. Every account is monthly
 * unless it says otherwise.
 */
const HISTORY = [
  event('A', '2026-06-15', 'started', { mrr: 100, plan: 'starter' }), // stays
  event('B', '2026-07-10', 'started', { mrr: 200, plan: 'pro' }),
  event('B', '2026-10-05', 'cancelled', { reason: 'price' }), // term ends Oct 10
  event('C', '2025-04-15', 'started', { mrr: 50, plan: 'pro', interval: 'year' }),
  event('C', '2026-02-10', 'cancelled', { reason: 'budget' }), // yearly term ends Apr 15
  event('D', '2026-10-01', 'started', { mrr: 25, plan: 'starter' }), // joins on Oct 1, 00:00
  event('E', '2026-10-20', 'started', { mrr: 80, plan: 'starter' }), // joins during October
  event('F', '2026-05-01', 'started', { mrr: 300, plan: 'pro' }),
  event('F', '2026-10-12', 'changed', { mrr: 120, plan: 'starter' }), // downgrade
  event('G', '2026-05-01', 'started', { mrr: 100, plan: 'starter' }),
  event('G', '2026-10-15', 'changed', { mrr: 150, plan: 'pro' }), // upgrade
  event('H', '2026-03-01', 'started', { mrr: 60, plan: 'starter' }),
  event('H', '2026-09-20', 'cancelled', {
    reason: 'missing_feature',
    endsAt: '2026-10-01T12:00:00Z',
  }),
  event('I', '2026-03-01', 'started', { mrr: 40, plan: 'starter' }),
  event('I', '2026-09-30', 'cancelled', { reason: 'price', endsAt: '2026-10-31T23:00:00Z' }),
  event('J', '2026-02-01', 'started', { plan: 'free' }), // no MRR
  event('J', '2026-10-02', 'cancelled', { reason: 'other', endsAt: '2026-10-20' }),
  event('K', '2026-01-10', 'started', { mrr: 90, plan: 'pro' }),
  event('K', '2026-08-20', 'cancelled', { reason: 'price' }), // term ends Sep 10
  event('K', '2026-10-05', 'started', { mrr: 90, plan: 'pro' }), // comes back
  event('L', '2026-04-01', 'started', { mrr: 70, plan: 'pro' }),
  event('L', '2026-09-25', 'cancelled', { reason: 'price' }), // would end Oct 1 ...
  event('L', '2026-09-28', 'renewed', { mrr: 70 }), // ... but renews: notice withdrawn
].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.at - b.at);

const ASOF = at('2026-11-15');
const spans = subscriptionSpans(HISTORY, ASOF);
const month = (from: string, to: string) =>
  churnByPeriod(spans, { from: at(from), to: at(to), period: 'month', asOf: ASOF });

describe('billing terms', () => {
  it('ends a notice at the end of the running monthly or yearly term', () => {
    expect(termEnd(at('2025-04-15'), 'year', at('2026-02-10'))).toBe(at('2026-04-15'));
    expect(termEnd(at('2026-07-10'), 'month', at('2026-10-05'))).toBe(at('2026-10-10'));
    // Month ends are clamped: Jan 31 + 1 month = Feb 28; on Feb 28 the next term runs to Mar 31.
    expect(termEnd(at('2026-01-31'), 'month', at('2026-02-15'))).toBe(at('2026-02-28'));
    expect(termEnd(at('2026-01-31'), 'month', at('2026-02-28'))).toBe(at('2026-03-31'));
    expect(termEnd(at('2026-01-31'), 'month', at('2026-05-30T23:59:59Z'))).toBe(at('2026-05-31'));
    expect(termEnd(at('2026-01-31'), 'month', at('2026-01-31'))).toBe(at('2026-02-28'));
    expect(termEnd(at('2024-02-29'), 'year', at('2025-03-01'))).toBe(at('2026-02-28'));
    expect(termEnd(at('2024-02-29'), 'year', at('2027-12-01'))).toBe(at('2028-02-29'));
    // Terms from an anchor 2,000 years back are still counted from it, exactly.
    expect(termEnd(at('0026-03-15'), 'month', at('2026-10-20'))).toBe(at('2026-11-15'));
    expect(termEnd(at('0026-03-15'), 'year', at('2026-03-14'))).toBe(at('2026-03-15'));
  });
});

describe('calendar periods', () => {
  it('starts and labels periods in UTC, years below 100 included', () => {
    expect(periodStart(at('2026-11-15T23:59:59-05:00'), 'quarter')).toBe(at('2026-10-01'));
    expect(periodLabel(at('2026-11-16'), 'quarter')).toBe('2026-Q4');
    // Date.UTC(99, 5, 1) is 1999-06-01; the period of 0099-06-15 is June of the year 99.
    expect(new Date(periodStart(at('0099-06-15'), 'month')).toISOString()).toBe(
      '0099-06-01T00:00:00.000Z',
    );
    expect(periodLabel(at('0099-06-15'), 'year')).toBe('0099');
  });
});

describe('churn by period', () => {
  it('counts October 2026 exactly as worked out by hand', () => {
    const [october] = month('2026-10-01', '2026-10-31');
    // At the start: A, B, F, G, H, I, J, L (8). Not C (ended Apr 15), not D (joined at the
    // first instant of October), not K (ended Sep 10).
    // Churned: B (Oct 10), H (Oct 1, 12:00), I (Oct 31, 23:00), J (Oct 20) → 4 of 8.
    // Start MRR 100+200+300+100+60+40+0+70 = 870; churned 200+60+40+0 = 300;
    // contraction F 300→120 = 180; expansion G 100→150 = 50.
    // New: D (25), E (80) and K returning (90). At the end: A, D, E, F, G, K, L.
    expect(october).toEqual({
      period: '2026-10',
      start: '2026-10-01T00:00:00.000Z',
      end: '2026-11-01T00:00:00.000Z',
      partial: false,
      customersAtStart: 8,
      new: 3,
      reactivated: 1,
      churned: 4,
      customersAtEnd: 7,
      startMrr: 870,
      newMrr: 195,
      churnedMrr: 300,
      contractionMrr: 180,
      expansionMrr: 50,
      logoChurnRate: 0.5,
      revenueChurnRate: 0.3448, // 300 / 870
      contractionRate: 0.2069, // 180 / 870
      grossRevenueRetention: 0.4483, // (870 − 300 − 180) / 870
      netRevenueRetention: 0.5057, // (870 − 300 − 180 + 50) / 870
    });
  });

  it('churns a yearly customer when the term ends, not at the notice', () => {
    const rows = month('2026-02-01', '2026-05-31');
    // C (yearly, notice Feb 10, term to Apr 15) is among the customers at the start of Feb,
    // Mar and Apr. At the start: Feb C, K; Mar + J; Apr + H, I (Mar 1 joiners); May: C gone,
    // L (Apr 1 joiner) in.
    expect(rows.map((row) => [row.period, row.customersAtStart, row.churned])).toEqual([
      ['2026-02', 2, 0], // notice given Feb 10: still a customer
      ['2026-03', 3, 0],
      ['2026-04', 5, 1], // term ends Apr 15
      ['2026-05', 5, 0],
    ]);
    // K's monthly term runs to Sep 10 after an Aug 20 notice.
    const [september] = month('2026-09-01', '2026-09-30');
    expect(september).toMatchObject({ churned: 1, churnedMrr: 90 });
  });

  it('groups by the state at the period start, and marks the running period partial', () => {
    const [october] = churnByPeriod(spans, {
      from: at('2026-10-01'),
      to: at('2026-10-31'),
      period: 'month',
      asOf: ASOF,
      groupOf: (span, when) => {
        const steps = span.steps.filter((step) => step.at <= when);
        return steps.at(-1)?.plan ?? '(none)';
      },
    });
    const pro = october!.groups!.find((group) => group.group === 'pro');
    // Pro at Oct 1: B, F, L (G upgraded later, K was gone). New on pro: K.
    expect(pro).toMatchObject({ customersAtStart: 3, churned: 1, startMrr: 570, new: 1 });
    const [november] = month('2026-11-01', '2026-11-30');
    expect(november).toMatchObject({ partial: true, customersAtStart: 7, churned: 0 });
  });

  it('ends each month with the customers the next one starts with', () => {
    const rows = month('2026-01-01', '2026-11-30');
    for (let i = 0; i + 1 < rows.length; i += 1) {
      expect(rows[i]!.customersAtEnd, rows[i]!.period).toBe(rows[i + 1]!.customersAtStart);
    }
  });
});

describe('cohort retention', () => {
  const cohortSpans = subscriptionSpans(
    [
      event('X1', '2026-01-05', 'started', { mrr: 100 }),
      event('X1', '2026-01-25', 'cancelled', { endsAt: '2026-02-20' }),
      event('X2', '2026-01-20', 'started', { mrr: 50 }),
      event('X2', '2026-03-10', 'changed', { mrr: 80 }),
      event('X3', '2026-02-03', 'started', { mrr: 10 }),
    ],
    at('2026-04-15'),
  );

  it('gives the share of each monthly cohort still a customer at each month end', () => {
    // January: X1 and X2 (150). End of Jan: both; end of Feb: X2 only; end of Mar: X2 at 80.
    expect(cohortRetention(cohortSpans, 'logo', at('2026-04-15'))).toEqual([
      { cohort: '2026-01', accounts: 2, startMrr: 150, retention: [1, 0.5, 0.5] },
      { cohort: '2026-02', accounts: 1, startMrr: 10, retention: [1, 1] },
    ]);
    // Revenue: January started at 150; end of Jan 150, Feb 50 (X1 gone), Mar 80.
    expect(cohortRetention(cohortSpans, 'revenue', at('2026-04-15'))[0]!.retention).toEqual([
      1, 0.3333, 0.5333,
    ]);
  });

  it('leaves the revenue retention of a cohort without MRR null, not 0', () => {
    const free = subscriptionSpans(
      [event('F1', '2026-01-05', 'started', { plan: 'free' })],
      at('2026-03-15'),
    );
    expect(cohortRetention(free, 'revenue', at('2026-03-15'))).toEqual([
      { cohort: '2026-01', accounts: 1, startMrr: 0, retention: [null, null] },
    ]);
    expect(cohortRetention(free, 'logo', at('2026-03-15'))[0]!.retention).toEqual([1, 1]);
  });
});

describe('churn reasons', () => {
  it('counts cancellations that took effect in the range, with their lost MRR', () => {
    const range = { from: at('2026-10-01'), to: at('2026-10-31T23:59:59Z'), asOf: ASOF };
    expect(churnReasons(spans, range)).toEqual([
      { reason: 'price', cancellations: 2, lostMrr: 240 }, // B 200, I 40 (L withdrew)
      { reason: 'missing_feature', cancellations: 1, lostMrr: 60 },
      { reason: 'other', cancellations: 1, lostMrr: 0 },
    ]);
    expect(churnReasons(spans, { ...range, plan: 'pro' })).toEqual([
      { reason: 'price', cancellations: 1, lostMrr: 200 },
    ]);
  });

  it('uses the window of a churn period: after `from`, up to `to`', () => {
    const history = subscriptionSpans(
      [
        event('P', '2026-08-01', 'started', { mrr: 30, plan: 'pro' }),
        event('P', '2026-09-05', 'cancelled', { reason: 'price', endsAt: '2026-10-01' }),
        event('Q', '2026-08-01', 'started', { mrr: 40, plan: 'pro' }),
        event('Q', '2026-09-05', 'cancelled', { reason: 'budget', endsAt: '2026-11-01' }),
        // Downgraded before leaving: the reason's lost MRR is the MRR it ended with.
        event('R', '2026-08-01', 'started', { mrr: 90, plan: 'pro' }),
        event('R', '2026-10-03', 'changed', { mrr: 20, plan: 'starter' }),
        event('R', '2026-10-04', 'cancelled', { reason: 'budget', endsAt: '2026-10-20' }),
      ],
      ASOF,
    );
    // October = (Oct 1, Nov 1]: P ended at Oct 1 00:00, a September churn; Q at Nov 1 00:00,
    // an October one (it is not among November's starting customers); R on Oct 20 at 20.
    const october = { from: at('2026-10-01'), to: at('2026-11-01'), asOf: ASOF };
    expect(churnReasons(history, october)).toEqual([
      { reason: 'budget', cancellations: 2, lostMrr: 60 },
    ]);
    expect(churnReasons(history, { ...october, plan: 'starter' })).toEqual([
      { reason: 'budget', cancellations: 1, lostMrr: 20 },
    ]);
    const [septemberChurn, octoberChurn] = churnByPeriod(history, {
      from: at('2026-09-01'),
      to: at('2026-10-31'),
      period: 'month',
      asOf: ASOF,
    });
    expect([septemberChurn!.churned, octoberChurn!.churned]).toEqual([1, 2]);
  });
});

describe('customers from before the history', () => {
  it('starts a history that opens with a renewal or a notice at the account creation', () => {
    const known = new Map([
      ['M', { since: at('2025-01-15'), plan: 'pro' }],
      ['N', { since: at('2025-03-01'), plan: 'team' }],
    ]);
    const history = subscriptionSpans(
      [
        event('M', '2026-07-15', 'renewed', { mrr: 100 }),
        event('N', '2026-07-05', 'cancelled', { reason: 'price', endsAt: '2026-07-20' }),
      ],
      ASOF,
      known,
    );
    const [july] = churnByPeriod(history, {
      from: at('2026-07-01'),
      to: at('2026-07-31'),
      period: 'month',
      asOf: ASOF,
    });
    // Both were customers on July 1; neither is new; N's notice ends it on July 20.
    expect(july).toMatchObject({ customersAtStart: 2, new: 0, churned: 1 });
    expect(history.map((span) => span.steps[0]!.plan)).toEqual(['pro', 'team']);
  });
});
