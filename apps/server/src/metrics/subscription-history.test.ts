import { describe, expect, it } from 'vitest';
import { churnByPeriod } from './churn-metrics.js';
import { at, event } from './subscription-events.fixture.js';
import { type SubscriptionEventRow, subscriptionSpans } from './subscription-history.js';

const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());

const endOf = (events: SubscriptionEventRow[], known = new Map()) =>
  subscriptionSpans(events, at('2027-12-31'), known).map((span) => iso(span.end));

describe('when a cancellation takes effect', () => {
  it('ends a monthly subscription started on Jan 31 at the end of the running term', () => {
    // Terms from Jan 31: Jan 31–Feb 28, Feb 28–Mar 31, Mar 31–Apr 30 (the day clamps, the
    // schedule keeps the 31st). Notice on Mar 15 → the term running ends Mar 31.
    expect(
      endOf([event('A', '2026-01-31', 'started'), event('A', '2026-03-15', 'cancelled')]),
    ).toEqual(['2026-03-31T00:00:00.000Z']);
  });

  it('keeps counting terms from the start date across on-schedule renewals', () => {
    // The biller renews on Feb 28 and Mar 31 (the Jan 31 schedule, clamped). Notice on Mar 29
    // falls in the term Feb 28–Mar 31, so the subscription ends Mar 31, a March churn — not
    // Apr 28, which counting from the Feb 28 renewal would give.
    const events = [
      event('A', '2026-01-31', 'started'),
      event('A', '2026-02-28', 'renewed'),
      event('A', '2026-03-29', 'cancelled'),
    ];
    expect(endOf(events)).toEqual(['2026-03-31T00:00:00.000Z']);
    const spans = subscriptionSpans(events, at('2027-12-31'));
    const [march, april] = churnByPeriod(spans, {
      from: at('2026-03-01'),
      to: at('2026-04-30'),
      period: 'month',
      asOf: at('2027-12-31'),
    });
    expect([march?.churned, april?.customersAtStart]).toEqual([1, 0]);
  });

  it('moves the schedule to a renewal off the schedule (a new billing date)', () => {
    // Monthly from Jan 10; renewed on Mar 20 (off the 10th): terms now run from the 20th.
    // Notice Apr 25 → the term Apr 20–May 20 ends May 20.
    expect(
      endOf([
        event('A', '2026-01-10', 'started'),
        event('A', '2026-03-20', 'renewed'),
        event('A', '2026-04-25', 'cancelled'),
      ]),
    ).toEqual(['2026-05-20T00:00:00.000Z']);
  });

  it('counts the terms of a history that opens with a renewal from that renewal', () => {
    // Account created 2024-03-03; the first event is a yearly renewal on 2026-04-15, so its
    // terms run from Apr 15. Notice 2027-02-10 → ends 2027-04-15 (not 2027-03-03).
    const known = new Map([['A', { since: at('2024-03-03'), plan: 'pro' }]]);
    const spans = subscriptionSpans(
      [
        event('A', '2026-04-15', 'renewed', { interval: 'year' }),
        event('A', '2027-02-10', 'cancelled'),
      ],
      at('2027-12-31'),
      known,
    );
    expect(spans.map((span) => [iso(span.start), iso(span.end)])).toEqual([
      ['2024-03-03T00:00:00.000Z', '2027-04-15T00:00:00.000Z'],
    ]);
  });

  it('ends at endsAt when the notice carries it, whatever the term', () => {
    expect(
      endOf([
        event('A', '2026-01-31', 'started'),
        event('A', '2026-03-15', 'cancelled', { endsAt: '2026-06-30T12:00:00Z' }),
      ]),
    ).toEqual(['2026-06-30T12:00:00.000Z']);
  });

  it('ends a yearly subscription at the end of the year running at the notice', () => {
    // Yearly from 2025-04-15; notice 2026-02-10 → 2026-04-15. A notice on the term's last
    // instant but one still ends it then; a notice on the boundary starts the next year.
    const yearly = (notice: string) =>
      endOf([
        event('C', '2025-04-15', 'started', { interval: 'year' }),
        event('C', notice, 'cancelled'),
      ]);
    expect(yearly('2026-02-10')).toEqual(['2026-04-15T00:00:00.000Z']);
    expect(yearly('2026-04-14T23:59:59Z')).toEqual(['2026-04-15T00:00:00.000Z']);
    expect(yearly('2026-04-15')).toEqual(['2027-04-15T00:00:00.000Z']);
  });
});
