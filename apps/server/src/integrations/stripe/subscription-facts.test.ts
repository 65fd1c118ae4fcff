import { describe, expect, it } from 'vitest';
import { seconds, stripeSubscription } from './stripe.fixture.js';
import { subscriptionFacts } from './subscription-facts.js';
import { subscriptionSnapshot } from './subscription-snapshot.js';

const at = (iso: string) => seconds(iso) * 1000;
const facts = (
  previous: Parameters<typeof subscriptionFacts>[0],
  options: Parameters<typeof stripeSubscription>[0],
  when: string,
) =>
  subscriptionFacts(
    previous,
    subscriptionSnapshot(stripeSubscription(options), seconds(when)),
    at(when),
    'evt_x',
  );

describe('subscriptionFacts', () => {
  const trial = { start: '2025-01-01', periodEnd: '2025-01-15', trialEnd: '2025-01-15' };

  it('treats a trial as no revenue, and its conversion as the start at the trial end', () => {
    const started = facts(null, { ...trial, status: 'trialing' }, '2025-01-01');
    expect(started.facts.map((f) => f.event)).toEqual(['trial_started']);
    const converted = facts(
      started.next,
      { ...trial, periodEnd: '2025-02-15' },
      '2025-01-15T00:00:05Z',
    );
    expect(converted.facts.map((f) => [f.event, new Date(f.timestamp).toISOString()])).toEqual([
      ['subscription_started', '2025-01-15T00:00:00.000Z'],
    ]);
  });

  it('ends an unconverted trial without churn', () => {
    const started = facts(null, { ...trial, status: 'trialing' }, '2025-01-01');
    const ended = facts(
      started.next,
      { ...trial, status: 'canceled', canceledAt: '2025-01-10', endedAt: '2025-01-10' },
      '2025-01-10',
    );
    expect(ended.facts.map((f) => f.event)).toEqual(['trial_ended']);
  });

  it('makes an immediate cancellation one that ends at once, and a backfilled old subscription its whole life', () => {
    const base = { start: '2024-01-01', periodEnd: '2024-02-01' };
    const active = facts(null, base, '2024-01-01');
    const cancelled = facts(
      active.next,
      {
        ...base,
        status: 'canceled',
        canceledAt: '2024-01-20',
        endedAt: '2024-01-20',
        feedback: 'unused',
      },
      '2024-01-20',
    );
    expect(cancelled.facts.map((f) => [f.event, f.properties.endsAt, f.properties.reason])).toEqual(
      [['subscription_cancelled', '2024-01-20T00:00:00.000Z', 'unused']],
    );
    const backfilled = facts(
      null,
      { ...base, status: 'canceled', canceledAt: '2024-01-20', endedAt: '2024-01-20' },
      '2026-01-01',
    );
    expect(backfilled.facts.map((f) => f.messageId)).toEqual([
      ...active.facts.map((f) => f.messageId),
      ...cancelled.facts.map((f) => f.messageId),
    ]);
  });

  it('withdraws a notice with a change, and says nothing when nothing changed', () => {
    const base = { start: '2024-01-01', periodEnd: '2024-02-01' };
    const active = facts(null, base, '2024-01-01');
    expect(facts(active.next, base, '2024-01-05').facts).toEqual([]);
    const notice = facts(
      active.next,
      { ...base, cancelAtPeriodEnd: true, canceledAt: '2024-01-10' },
      '2024-01-10',
    );
    expect(notice.facts.map((f) => f.event)).toEqual(['subscription_cancelled']);
    const withdrawn = facts(notice.next, base, '2024-01-12');
    expect(withdrawn.facts.map((f) => f.event)).toEqual(['subscription_changed']);
  });
});
