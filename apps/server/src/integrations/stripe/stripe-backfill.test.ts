import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { stripeSubscription } from './stripe.fixture.js';
import { backfillStripe } from './stripe-backfill.js';
import { DEFAULT_STRIPE_SETTINGS } from './stripe-settings.sql.js';

// A fresh database per test, migrated: on a loaded 2-core machine that has taken a minute.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });

const COUNT = 250;
const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString();

/** 250 subscriptions, newest first as Stripe lists them: every 5th over, every 7th on notice. */
const subscriptions = Array.from({ length: COUNT }, (_, i) => {
  const id = `sub_${String(COUNT - i).padStart(4, '0')}`;
  const start = day(COUNT - i);
  const base = {
    id,
    customer: `cus_${i}`,
    start,
    periodEnd: day(COUNT - i + 400),
    unitAmount: 1_000 * (1 + (i % 3)),
  };
  if (i % 5 === 0) {
    return stripeSubscription({
      ...base,
      status: 'canceled',
      canceledAt: day(COUNT - i + 100),
      endedAt: day(COUNT - i + 100),
      feedback: 'missing_features',
    });
  }
  if (i % 7 === 0) {
    return stripeSubscription({
      ...base,
      cancelAtPeriodEnd: true,
      canceledAt: day(COUNT - i + 200),
    });
  }
  return stripeSubscription(base);
}).map((subscription, i) => ({
  ...subscription,
  // Expanded, as the backfill asks: the account id is in the customer's metadata.
  customer: { id: `cus_${i}`, object: 'customer', metadata: { tenure_account_id: `acct-${i}` } },
}));
const ended = subscriptions.filter((_, i) => i % 5 === 0).length;
const noticed = subscriptions.filter((_, i) => i % 5 !== 0 && i % 7 === 0).length;
const expectedFacts = COUNT + ended + noticed;

let failAfter: string | null = null;
const stripeApi = setupServer(
  http.get('https://api.stripe.com/v1/subscriptions', ({ request }) => {
    const url = new URL(request.url);
    const after = url.searchParams.get('starting_after');
    const limit = Number(url.searchParams.get('limit') ?? 10);
    if (url.searchParams.get('expand[0]') !== 'data.customer') {
      return HttpResponse.json({ error: { message: 'expected expand' } }, { status: 400 });
    }
    if (after && after === failAfter) {
      return HttpResponse.json({ error: { type: 'api_error', message: 'boom' } }, { status: 500 });
    }
    const start = after ? subscriptions.findIndex((s) => s.id === after) + 1 : 0;
    const data = subscriptions.slice(start, start + limit);
    return HttpResponse.json({
      object: 'list',
      url: '/v1/subscriptions',
      has_more: start + limit < subscriptions.length,
      data,
    });
  }),
);

describe.each(engines)('tenure import stripe (the API answered by msw) on %s', (engine) => {
  let t: TestApp;
  let stateDir: string;
  beforeAll(() => stripeApi.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => stripeApi.close());
  beforeEach(async () => {
    t = await createTestApp(engine);
    stateDir = mkdtempSync(join(tmpdir(), 'tenure-stripe-'));
  });
  afterEach(async () => {
    await t.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('backfills every subscription once, resumes after a failure, and a second run adds nothing', async () => {
    const stripe = new Stripe('sk_test_backfill', {
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 0,
    });
    const context = {
      db: t.app.services.db,
      writer: t.app.services.writer,
      projectId: t.projectId,
      settings: DEFAULT_STRIPE_SETTINGS,
    };
    // The third page fails: the first two are committed and checkpointed.
    failAfter = subscriptions[199]!.id;
    await expect(backfillStripe({ stripe, context, stateDir })).rejects.toThrow('boom');
    const checkpoint = JSON.parse(
      readFileSync(join(stateDir, `stripe-${t.projectId}.json`), 'utf8'),
    );
    expect(checkpoint).toMatchObject({
      startingAfter: subscriptions[199]!.id,
      totals: { subscriptions: 200 },
    });

    failAfter = null;
    const resumed = await backfillStripe({ stripe, context, stateDir });
    expect(resumed.resumedAfter).toBe(subscriptions[199]!.id);
    expect(resumed.totals).toMatchObject({
      subscriptions: COUNT,
      accepted: expectedFacts,
      rejected: 0,
    });
    const facts = await t.app.services.db
      .selectFrom('events')
      .select(['event', 'account_id'])
      .where('project_id', '=', t.projectId)
      .execute();
    expect(facts).toHaveLength(expectedFacts);
    expect(new Set(facts.map((f) => f.account_id)).size).toBe(COUNT);

    const again = await backfillStripe({ stripe, context, stateDir });
    expect(again.resumedAfter).toBeNull();
    expect(again.totals).toMatchObject({ subscriptions: COUNT, accepted: 0 });

    // The churn metrics have the history: cancellations with their reason, counted at the end.
    const reasons = (await t.get('/v1/metrics/churn-reasons?from=2024-01-01&to=2025-12-31')).json();
    expect(reasons.reasons).toContainEqual(
      expect.objectContaining({ reason: 'missing_features', cancellations: ended }),
    );
  });
});
