import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../test/test-database.js';
import { createProject, type ProjectCredentials } from '../admin/projects.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { SeededRandom } from '../seed/seeded-random.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { type AccountSort, listPage } from './account-list.js';
import type { AccountListItem } from './account-list.schemas.js';
import { scoredItem } from './account-list-items.js';
import { segmentLabels } from './account-segments.js';
import { RISK_TIERS } from './risk.types.js';
import { scoreProject } from './score-accounts.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ACCOUNTS = 30;
const FEATURES = ['reports', 'dashboards', 'exports', 'alerts'];
const PLANS = [
  { plan: 'starter', mrr: 50 },
  { plan: 'team', mrr: 400 },
  { plan: 'business', mrr: 2_500 },
  { plan: 'enterprise', mrr: 12_000 },
];

interface ListBody {
  asOf: string;
  accounts: AccountListItem[];
  nextCursor: string | null;
  summary: { accounts: number; tiers: Record<string, { accounts: number; mrr: number }> } | null;
  stale: boolean;
  rescoring: { done: number; total: number } | null;
  pending: number;
}

/** What a list item says, less when it was computed. */
const comparable = ({ scoredAt: _, ...item }: AccountListItem) => item;

/**
 * Random event streams for ACCOUNTS accounts at the clock's time (and a few hours before it,
 * some of them on the previous day: late data), of every kind that moves a score.
 */
function randomBatch(random: SeededRandom, at: number, round: number): object[] {
  const events: object[] = [];
  for (let i = 0; i < 60; i += 1) {
    const account = `acct-${random.int(0, ACCOUNTS - 1)}`;
    const user = `${account}-u${random.int(0, 2)}`;
    const timestamp = new Date(at - random.int(0, 30) * HOUR_MS).toISOString();
    const base = {
      userId: user,
      messageId: `r${round}-${i}`,
      timestamp,
      context: { groupId: account },
    };
    const kind = random.int(0, 9);
    if (kind <= 3) events.push({ ...base, type: 'track', event: 'login' });
    else if (kind <= 5) {
      const feature = FEATURES[random.int(0, FEATURES.length - 1)];
      events.push({ ...base, type: 'track', event: 'feature_used', properties: { feature } });
    } else if (kind === 6) {
      // Without a groupId: the writer resolves the account from the user's group call, and the
      // keeper must learn which account that was.
      const ticketId = `${account}-t${random.int(0, 2)}`;
      const event = random.next() < 0.5 ? 'support_ticket_opened' : 'support_ticket_resolved';
      const { context: _, ...anonymous } = { ...base, userId: `${account}-u0` };
      events.push({
        ...anonymous,
        type: 'track',
        event,
        properties: { ticketId, satisfied: false },
      });
    } else if (kind === 7) {
      const { plan, mrr } = PLANS[random.int(0, PLANS.length - 1)]!;
      events.push({ ...base, type: 'group', groupId: account, traits: { plan, mrr, seats: 5 } });
    } else if (kind === 8) {
      const { plan, mrr } = PLANS[random.int(0, PLANS.length - 1)]!;
      events.push({
        ...base,
        type: 'track',
        event: random.next() < 0.15 ? 'subscription_cancelled' : 'subscription_changed',
        properties: { plan, mrr, reason: 'price' },
      });
    } else events.push({ ...base, type: 'track', event: 'password_reset_requested' });
  }
  return events;
}

describe.each(engines)('current scores on %s', (engine) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let project: ProjectCredentials;
  // Days pass on this clock; it stays in the past (a future asOf would mean "now").
  let clock = Math.floor(Date.now() / DAY_MS) * DAY_MS - 30 * DAY_MS + 9 * HOUR_MS;
  const random = new SeededRandom(18);
  const auth = () => ({ authorization: `Bearer ${project.secretKey}` });
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url, headers: auth() });
    return { status: response.statusCode, body: response.json() as ListBody };
  };
  const ingest = async (batch: object[]) => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      // The secret key: the streams hold revenue facts, which a public write key may not send.
      headers: {
        authorization: `Basic ${Buffer.from(`${project.secretKey}:`).toString('base64')}`,
      },
      payload: { batch },
    });
    expect(response.json()).toMatchObject({ rejected: [] });
  };
  const walk = async (query: string) => {
    const items: AccountListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: ListBody } = await get(
        `/v1/accounts?${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      items.push(...page.body.accounts);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  /** Every sort, status and filter of the stored list equals a computation from scratch. */
  const expectStoredEqualsScratch = async () => {
    await app.services.scores.settle();
    const settings = await getProjectSettings(app.services.db, project.projectId);
    const { scored } = await scoreProject(app.services.db, project.projectId, {
      asOf: new Date(clock),
      includeChurned: true,
    });
    expect(scored.length).toBeGreaterThan(0);
    const expected = (sort: AccountSort, status: string, filters = {}) => {
      const candidates = scored.filter((a) =>
        status === 'all' ? true : (a.features.churnedAt !== null) === (status === 'churned'),
      );
      return listPage(candidates, settings, { sort, filters, limit: ACCOUNTS + 1 }).accounts.map(
        (account) => comparable(scoredItem(account, settings)),
      );
    };
    for (const sort of ['risk', 'mrr', 'last_seen'] as const) {
      for (const status of ['active', 'churned', 'all']) {
        const walked = await walk(`sort=${sort}&status=${status}`);
        expect(walked.map(comparable), `${sort} ${status}`).toEqual(expected(sort, status));
      }
    }
    for (const tier of RISK_TIERS) {
      const walked = await walk(`tier=${tier}&status=all`);
      expect(walked.map(comparable)).toEqual(expected('risk', 'all', { tiers: [tier] }));
    }
    for (const { plan } of PLANS) {
      const walked = await walk(`plan=${plan}`);
      expect(walked.map(comparable)).toEqual(expected('risk', 'active', { plan }));
    }
    for (const segment of segmentLabels(settings)) {
      const walked = await walk(`segment=${encodeURIComponent(segment)}&sort=mrr`);
      expect(walked.map(comparable), segment).toEqual(expected('mrr', 'active', { segment }));
    }
    // Search: names are "Account <n>", ids "acct-<n>"; in any case, on both lists alike.
    for (const search of ['COUNT 1', 'acct-2', 'Nt 3', 'no such account']) {
      const walked = await walk(`q=${encodeURIComponent(search)}&status=all&sort=last_seen`);
      expect(walked.map(comparable), search).toEqual(expected('last_seen', 'all', { search }));
    }
    const { body } = await get('/v1/accounts?status=all&limit=1');
    expect(body.stale).toBe(false);
    expect(body.summary?.accounts).toBe(scored.length);
    for (const tier of RISK_TIERS) {
      const inTier = scored.filter((a) => a.risk.tier === tier);
      expect(body.summary?.tiers[tier]).toEqual({
        accounts: inTier.length,
        mrr: inTier.reduce((sum, a) => sum + (a.features.mrr ?? 0), 0),
      });
    }
    return scored;
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    // Jobs off: the test runs the daily check itself, at the clock's time.
    app = await buildApp({
      database,
      now: () => new Date(clock),
      config: { TENURE_JOBS_INTERVAL_MINUTES: 0, TENURE_SCORE_BATCH: 10 },
    });
    project = await createProject(app.services.db, { name: 'Current scores' });
    // History: every account active over the last weeks, some long before.
    const history: object[] = [];
    for (let a = 0; a < ACCOUNTS; a += 1) {
      const { plan, mrr } = PLANS[a % PLANS.length]!;
      const start = clock - (10 + a * 3) * DAY_MS;
      history.push({
        type: 'group',
        userId: `acct-${a}-u0`,
        groupId: `acct-${a}`,
        messageId: `h-${a}-group`,
        timestamp: new Date(start).toISOString(),
        traits: { name: `Account ${a}`, plan, mrr, seats: 5 },
      });
      for (let d = a % 7; d < 10 + a * 3; d += 2 + (a % 5)) {
        history.push({
          type: 'track',
          event: 'login',
          userId: `acct-${a}-u0`,
          messageId: `h-${a}-${d}`,
          timestamp: new Date(start + d * DAY_MS).toISOString(),
          context: { groupId: `acct-${a}` },
        });
      }
    }
    for (let i = 0; i < history.length; i += 500) await ingest(history.slice(i, i + 500));
    await app.services.scores.checkProjects();
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('keeps the stored list equal to scoring from scratch as events arrive', async () => {
    await expectStoredEqualsScratch();
    for (let round = 0; round < 4; round += 1) {
      clock += random.int(1, 5) * HOUR_MS;
      await ingest(randomBatch(random, clock, round));
      await expectStoredEqualsScratch();
    }
  }, 240_000);

  it('re-scores in the background after a settings change, answering from the old scores meanwhile', async () => {
    await expectStoredEqualsScratch();
    const before = (await get('/v1/accounts?status=all&limit=500')).body;
    await app.services.scores.pause();
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: auth(),
      payload: { inactivityDays: 7, tierCutoffs: { watch: 20, at_risk: 40, critical: 60 } },
    });
    expect(put.statusCode).toBe(200);
    const during = (await get('/v1/accounts?status=all&limit=500')).body;
    expect(during.stale).toBe(true);
    expect(during.rescoring).not.toBeNull();
    expect(during.accounts).toEqual(before.accounts);
    app.services.scores.resume();
    const after = await expectStoredEqualsScratch();
    expect(after.map((a) => a.risk.score)).not.toEqual(before.accounts.map((a) => a.score));
  }, 240_000);

  it('moves scores with the passing of days through the daily pass', async () => {
    await expectStoredEqualsScratch();
    const yesterday = (await get('/v1/accounts?status=all&limit=500')).body;
    for (let day = 1; day <= 3; day += 1) {
      await app.services.scores.pause();
      clock += DAY_MS;
      // Until the day's pass has run, the list says its scores are from an earlier day.
      const early = (await get('/v1/accounts?status=all&limit=500')).body;
      expect(early.stale).toBe(true);
      app.services.scores.resume();
      await app.services.scores.checkProjects();
      await ingest(randomBatch(random, clock, 100 + day));
      await expectStoredEqualsScratch();
    }
    const later = (await get('/v1/accounts?status=all&limit=500')).body;
    const scoreOf = (body: ListBody) =>
      Object.fromEntries(body.accounts.map((a) => [a.accountId, a.score]));
    expect(scoreOf(later)).not.toEqual(scoreOf(yesterday));
  }, 240_000);
});
