import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { stripeEvent, stripeSubscription } from './stripe.fixture.js';

// A fresh database per test, migrated: on a loaded 2-core machine that has taken a minute.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });

const SECRET = 'whsec_test_secret_0123456789';
const stripe = new Stripe('sk_test_unused');

describe.each(engines)('Stripe webhook on %s', (engine) => {
  let t: TestApp;
  const deliver = (event: object, secret = SECRET) => {
    const payload = JSON.stringify(event);
    return t.app.inject({
      method: 'POST',
      url: `/v1/integrations/stripe/webhook/${t.projectId}`,
      headers: {
        'content-type': 'application/json',
        'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret }),
      },
      payload,
    });
  };
  const subscriptionEvents = async () =>
    t.app.services.db
      .selectFrom('events')
      .select(['message_id', 'event', 'account_id', 'timestamp', 'properties'])
      .where('project_id', '=', t.projectId)
      .where('type', '=', 'track')
      .orderBy('timestamp')
      .execute();
  const churn = async (from: string, to: string) =>
    (await t.get(`/v1/metrics/churn?from=${from}&to=${to}&period=month`)).json().periods;

  beforeEach(async () => {
    t = await createTestApp(engine);
    const response = await t.app.inject({
      method: 'PUT',
      url: '/v1/integrations/stripe',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { endpointSecret: SECRET, accountFrom: 'metadata', metadataKey: 'account' },
    });
    expect(response.json()).toMatchObject({ endpointSecretSet: true, metadataKey: 'account' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses a bad signature (400, nothing stored) and changes nothing on a replay', async () => {
    const created = stripeEvent(
      'customer.subscription.created',
      '2025-01-10T00:00:00Z',
      stripeSubscription({
        start: '2025-01-10',
        periodEnd: '2025-02-10',
        metadata: { account: 'acme' },
      }),
    );
    const forged = await deliver(created, 'whsec_not_the_secret');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('invalid_stripe_signature');
    const unsigned = await t.app.inject({
      method: 'POST',
      url: `/v1/integrations/stripe/webhook/${t.projectId}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(created),
    });
    expect(unsigned.statusCode).toBe(400);
    expect(await subscriptionEvents()).toEqual([]);

    const first = await deliver(created);
    expect(first.json()).toMatchObject({ outcome: 'applied', facts: 1, rejected: [] });
    const stored = await subscriptionEvents();
    expect(stored.map((e) => [e.event, e.account_id, e.properties])).toEqual([
      [
        'subscription_started',
        'acme',
        { plan: 'pro', mrr: 100, seats: 1, interval: 'month', stripeSubscriptionId: 'sub_1' },
      ],
    ]);
    const replay = await deliver(created);
    expect(replay.json()).toMatchObject({ outcome: 'replayed', facts: 0 });
    expect(await subscriptionEvents()).toEqual(stored);
  });

  it('does not roll state back when an older event arrives after a newer one', async () => {
    const base = { start: '2025-01-10', periodEnd: '2025-02-10', metadata: { account: 'acme' } };
    await deliver(
      stripeEvent(
        'customer.subscription.created',
        '2025-01-10T00:00:00Z',
        stripeSubscription(base),
      ),
    );
    const upgrade = stripeEvent(
      'customer.subscription.updated',
      '2025-01-20T00:00:00Z',
      stripeSubscription({ ...base, quantity: 3 }),
    );
    const downgrade = stripeEvent(
      'customer.subscription.updated',
      '2025-01-25T00:00:00Z',
      stripeSubscription({ ...base, quantity: 2 }),
    );
    expect((await deliver(downgrade)).json().outcome).toBe('applied');
    // The upgrade was sent first but arrives last: it is older than the state, and ignored.
    expect((await deliver(upgrade)).json()).toMatchObject({ outcome: 'stale', facts: 0 });
    const stored = await subscriptionEvents();
    expect(stored.map((e) => [e.event, (e.properties as { mrr: number }).mrr])).toEqual([
      ['subscription_started', 100],
      ['subscription_changed', 200],
    ]);
    const [january] = await churn('2025-01-01', '2025-01-31');
    expect(january).toMatchObject({ new: 1, customersAtEnd: 1 });
  });

  it('shows a plan change mid-period as expansion, then contraction, in the churn metrics', async () => {
    const base = { start: '2024-12-01', periodEnd: '2025-01-01', metadata: { account: 'acme' } };
    await deliver(
      stripeEvent(
        'customer.subscription.created',
        '2024-12-01T00:00:00Z',
        stripeSubscription(base),
      ),
    );
    // Mid-February: 1 seat → 3 (100 → 300). Mid-March: to the 50/seat plan, 3 seats (150).
    await deliver(
      stripeEvent(
        'customer.subscription.updated',
        '2025-02-15T00:00:00Z',
        stripeSubscription({ ...base, quantity: 3 }),
      ),
    );
    await deliver(
      stripeEvent(
        'customer.subscription.updated',
        '2025-03-14T00:00:00Z',
        stripeSubscription({ ...base, quantity: 3, unitAmount: 5_000, nickname: 'basic' }),
      ),
    );
    const [february, march] = await churn('2025-02-01', '2025-03-31');
    expect(february).toMatchObject({
      customersAtStart: 1,
      startMrr: 100,
      expansionMrr: 200,
      contractionMrr: 0,
      churned: 0,
    });
    expect(february.netRevenueRetention).toBeCloseTo(3);
    expect(march).toMatchObject({
      customersAtStart: 1,
      startMrr: 300,
      expansionMrr: 0,
      contractionMrr: 150,
    });
    expect(march.grossRevenueRetention).toBeCloseTo(0.5);
  });

  it('counts a cancellation at period end when the term ends, with its reason', async () => {
    const base = { start: '2025-01-10', periodEnd: '2025-05-10', metadata: { account: 'acme' } };
    await deliver(
      stripeEvent(
        'customer.subscription.created',
        '2025-01-10T00:00:00Z',
        stripeSubscription(base),
      ),
    );
    // Notice on April 5th; the paid term runs to May 10th.
    await deliver(
      stripeEvent(
        'customer.subscription.updated',
        '2025-04-05T00:00:00Z',
        stripeSubscription({
          ...base,
          cancelAtPeriodEnd: true,
          canceledAt: '2025-04-05T00:00:00Z',
          feedback: 'too_expensive',
          comment: 'Budget cuts',
        }),
      ),
    );
    const ended = stripeSubscription({
      ...base,
      status: 'canceled',
      cancelAtPeriodEnd: true,
      canceledAt: '2025-04-05T00:00:00Z',
      endedAt: '2025-05-10T00:00:00Z',
      feedback: 'too_expensive',
      comment: 'Budget cuts',
    });
    const deleted = await deliver(
      stripeEvent('customer.subscription.deleted', '2025-05-10T00:00:01Z', ended),
    );
    // The end came as noticed: nothing new to say.
    expect(deleted.json()).toMatchObject({ outcome: 'applied', facts: 0 });
    const cancellation = (await subscriptionEvents()).find(
      (e) => e.event === 'subscription_cancelled',
    );
    expect(cancellation?.properties).toMatchObject({
      reason: 'too_expensive',
      feedback: 'Budget cuts',
      mrr: 100,
      endsAt: '2025-05-10T00:00:00.000Z',
    });
    const [april, may] = await churn('2025-04-01', '2025-05-31');
    expect(april).toMatchObject({ customersAtStart: 1, churned: 0, customersAtEnd: 1 });
    expect(may).toMatchObject({
      customersAtStart: 1,
      churned: 1,
      churnedMrr: 100,
      customersAtEnd: 0,
    });
    const reasons = (await t.get('/v1/metrics/churn-reasons?from=2025-01-01&to=2025-12-31')).json();
    expect(reasons.reasons).toEqual([{ reason: 'too_expensive', cancellations: 1, lostMrr: 100 }]);
  });
});
