import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectBadRequests, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { DAY_MS } from '../../time/utc-day.js';

interface Item {
  plan: string | null;
  mrr: number | null;
  segments: string[];
}
interface Facet {
  accounts: number;
  mrr: number;
}

const PLANS = ['starter', 'team', 'enterprise', null];

describe.each(engines)('GET /v1/account-facets on %s', (engine) => {
  let t: TestApp;
  const facets = async (query = '') => {
    const response = await t.get(`/v1/account-facets${query}`);
    expect(response.statusCode, query).toBe(200);
    return response.json() as {
      plans: Array<Facet & { plan: string | null }>;
      segments: Array<Facet & { segment: string }>;
    };
  };
  const everyAccount = async (status: string) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: { accounts: Item[]; nextCursor: string | null } = (
        await t.get(`/v1/accounts?status=${status}&limit=7${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      items.push(...page.accounts);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { TENURE_JOBS_INTERVAL_MINUTES: 0 });
    // 24 accounts over four plans (one without), MRRs across the size bands, started from 400
    // to 10 days ago (new and established); every fifth has cancelled.
    const batch: object[] = [];
    for (let i = 0; i < 24; i += 1) {
      const plan = PLANS[i % PLANS.length];
      const started = new Date(Date.now() - (10 + i * 17) * DAY_MS).toISOString();
      batch.push({
        type: 'group',
        userId: `u${i}`,
        groupId: `acct-${i}`,
        traits: {
          name: `Account ${i}`,
          ...(plan ? { plan } : {}),
          mrr: i === 3 ? null : 7.5 * i ** 3,
        },
        timestamp: started,
      });
      batch.push({
        type: 'track',
        userId: `u${i}`,
        event: 'login',
        context: { groupId: `acct-${i}` },
      });
      if (i % 5 === 4) {
        batch.push({
          type: 'track',
          userId: `u${i}`,
          event: 'subscription_cancelled',
          properties: { reason: 'price' },
          context: { groupId: `acct-${i}` },
        });
      }
    }
    await t.ingest(batch);
  }, 60_000);
  afterAll(() => t?.close());

  it.each(['active', 'churned', 'all'])(
    'holds what the list holds, by plan and by segment (%s)',
    async (status) => {
      const items = await everyAccount(status);
      expect(items.length).toBeGreaterThan(0);
      const body = await facets(`?status=${status}`);
      const sum = (matching: Item[]) => ({
        accounts: matching.length,
        mrr: matching.reduce((total, item) => total + (item.mrr ?? 0), 0),
      });
      const plans = [...new Set(items.map((item) => item.plan))].sort((a, b) =>
        a === null ? 1 : b === null ? -1 : a < b ? -1 : 1,
      );
      expect(body.plans).toEqual(
        plans.map((plan) => ({ plan, ...sum(items.filter((item) => item.plan === plan)) })),
      );
      const segments = body.segments.map((facet) => facet.segment);
      expect(new Set(segments)).toEqual(new Set(items.flatMap((item) => item.segments)));
      for (const facet of body.segments) {
        expect(facet, facet.segment).toEqual({
          segment: facet.segment,
          ...sum(items.filter((item) => item.segments.includes(facet.segment))),
        });
      }
    },
  );

  it('refuses bad parameters, and other projects see nothing', async () => {
    await expectBadRequests(t, [
      '/v1/account-facets?status=gone',
      '/v1/account-facets?plan=team',
      '/v1/account-facets?status=all&status=active',
    ]);
    const outsider = await t.get('/v1/account-facets', await t.otherProjectKey());
    expect(outsider.json()).toEqual({ plans: [], segments: [] });
    expect((await t.get('/v1/account-facets', 'sk_wrong')).statusCode).toBe(401);
  });
});
