import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../test/test-database.js';
import { createProject, type ProjectCredentials } from '../admin/projects.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { DAY_MS } from '../time/utc-day.js';
import type { TodayActivity } from './account-features.types.js';
import { listPage } from './account-list.js';
import type { AccountListItem } from './account-list.schemas.js';
import { scoredItem } from './account-list-items.js';
import { scoreProject } from './score-accounts.js';

const ACCOUNTS = 8;
const KEY_FEATURES = ['reports', 'dashboards'];
const comparable = ({ scoredAt: _, ...item }: AccountListItem) => item;
/** What a row's messages can show of the day: whether, how many article views, which keys. */
const shown = (today: TodayActivity | null | undefined) =>
  today && {
    loggedIn: today.logins > 0,
    kbViews: today.kbViews,
    milestone: today.milestones > 0,
    keyFeaturesUsed: today.keyFeaturesUsed,
  };

// The keeper reads "today" only at the real time, so this test runs on the real clock; events of
// the day must stay of the day while it runs.
const minuteOfDay = (Date.now() % DAY_MS) / 60_000;
const nearMidnight = minuteOfDay < 2 || minuteOfDay > 24 * 60 - 10;

describe.skipIf(nearMidnight).each(engines)(
  'kept scores weighed against the day on %s',
  (engine) => {
    let database: DatabaseHandle;
    let app: FastifyInstance;
    let project: ProjectCredentials;
    let sent = 0;
    const auth = () => ({ authorization: `Bearer ${project.secretKey}` });
    const ingest = async (events: object[]) => {
      const batch = events.map((event, i) => ({ messageId: `m-${sent + i}`, ...event }));
      sent += events.length;
      const response = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: {
          authorization: `Basic ${Buffer.from(`${project.secretKey}:`).toString('base64')}`,
        },
        payload: { batch },
      });
      expect(response.json()).toMatchObject({ rejected: [] });
      await app.services.scores.settle();
    };
    const track = (account: number, event: string, properties = {}, at = Date.now() - 1_000) => ({
      type: 'track',
      event,
      properties,
      userId: `acct-${account}-u0`,
      timestamp: new Date(at).toISOString(),
      context: { groupId: `acct-${account}` },
    });
    const scoredAt = async () => {
      const rows = await sql<{ account_id: string; scored_at: Date | string }>`
      select account_id, scored_at from account_scores where project_id = ${project.projectId}
    `.execute(app.services.db);
      return new Map(rows.rows.map((row) => [row.account_id, new Date(row.scored_at).getTime()]));
    };
    /** Accounts whose kept row was written again since `before`. */
    const rescoredSince = async (before: Map<string, number>) =>
      [...(await scoredAt())]
        .filter(([id, at]) => before.get(id) !== at)
        .map(([id]) => id)
        .sort();

    /** Accounts the keeper handled so far, by work (its metrics). */
    const keeperWork = async () => {
      const { values } = await app.services.metrics.keeperAccounts.get();
      return Object.fromEntries(values.map(({ labels, value }) => [labels.work, value]));
    };

    /** The kept list, and what each row shows of the day, equal a scoring from scratch now. */
    const expectKeptEqualsScratch = async () => {
      const settings = await getProjectSettings(app.services.db, project.projectId);
      const { scored } = await scoreProject(app.services.db, project.projectId, {
        includeChurned: true,
      });
      const response = await app.inject({
        method: 'GET',
        url: '/v1/accounts?status=all&limit=100',
        headers: auth(),
      });
      const listed = (response.json() as { accounts: AccountListItem[] }).accounts;
      const expected = listPage(scored, settings, { sort: 'risk', filters: {}, limit: 100 });
      expect(listed.map(comparable)).toEqual(
        expected.accounts.map((account) => comparable(scoredItem(account, settings))),
      );
      const kept = await sql<{ account_id: string; today: TodayActivity | null }>`
      select account_id, features -> 'today' as today from account_scores
      where project_id = ${project.projectId}
      order by account_id
    `.execute(app.services.db);
      expect(kept.rows.map((row) => [row.account_id, shown(row.today)])).toEqual(
        scored.map((account) => [account.features.accountId, shown(account.features.today)]),
      );
    };

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      app = await buildApp({ database, config: { TENURE_JOBS_INTERVAL_MINUTES: 0 } });
      project = await createProject(app.services.db, { name: 'Kept today' });
      const put = await app.inject({
        method: 'PUT',
        url: '/v1/settings',
        headers: auth(),
        payload: { keyFeatures: KEY_FEATURES },
      });
      expect(put.statusCode).toBe(200);
      const history: object[] = [];
      const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      for (let a = 0; a < ACCOUNTS; a += 1) {
        history.push({
          type: 'group',
          userId: `acct-${a}-u0`,
          groupId: `acct-${a}`,
          timestamp: new Date(dayStart - 30 * DAY_MS).toISOString(),
          traits: { name: `Account ${a}`, plan: 'team', mrr: 100 * (a + 1), seats: 5 },
        });
        for (let d = 2 + a; d < 30; d += 3)
          history.push(track(a, 'login', {}, dayStart - d * DAY_MS));
      }
      await ingest(history);
      await app.services.scores.checkProjects();
      await app.services.scores.settle();
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await database?.close();
    });

    it('re-scores an account only when its events change what its kept row says', async () => {
      await expectKeptEqualsScratch();
      const all = Array.from({ length: ACCOUNTS }, (_, a) => `acct-${a}`).sort();

      // The day's first logins: every kept row said "no login today".
      let before = await scoredAt();
      await ingest(all.map((_, a) => track(a, 'login')));
      expect(await rescoredSince(before)).toEqual(all);
      await expectKeptEqualsScratch();

      // More of the same, a feature that is not key, a custom event, page views: nothing the rows
      // show changes.
      before = await scoredAt();
      await ingest(
        all.flatMap((_, a) => [
          track(a, 'login'),
          track(a, 'feature_used', { feature: 'exports' }),
          track(a, 'report_exported', { format: 'csv' }),
          {
            type: 'page',
            name: 'Home',
            userId: `acct-${a}-u0`,
            context: { groupId: `acct-${a}` },
          },
        ]),
      );
      expect(await rescoredSince(before)).toEqual([]);
      await expectKeptEqualsScratch();

      // An article view (its number is shown), a first milestone, a key feature, new traits (an
      // MRR, which the counts by tier add up, and seats, which they do not), a ticket, a plan
      // change and a late login of yesterday: each changes its account's row. All but the late
      // login are of the row's day: refreshed from its kept features.
      before = await scoredAt();
      const work = await keeperWork();
      await ingest([
        track(0, 'kb_article_viewed', { articleId: 'a-1' }),
        track(1, 'milestone_reached', { milestone: 'first-report' }),
        track(2, 'feature_used', { feature: 'reports' }),
        { type: 'group', userId: 'acct-3-u0', groupId: 'acct-3', traits: { mrr: 999 } },
        track(4, 'login', {}, Date.now() - DAY_MS),
        track(5, 'support_ticket_opened', { ticketId: 't-5' }),
        track(6, 'subscription_changed', { plan: 'business', mrr: 1_200 }),
        { type: 'group', userId: 'acct-7-u0', groupId: 'acct-7', traits: { seats: 9 } },
      ]);
      expect(await rescoredSince(before)).toEqual([
        'acct-0',
        'acct-1',
        'acct-2',
        'acct-3',
        'acct-4',
        'acct-5',
        'acct-6',
        'acct-7',
      ]);
      const after = await keeperWork();
      expect((after.refresh ?? 0) - (work.refresh ?? 0)).toBe(7);
      expect((after.rescore ?? 0) - (work.rescore ?? 0)).toBe(1);
      await expectKeptEqualsScratch();

      // A second milestone and the same key feature again change nothing shown; a second view does.
      before = await scoredAt();
      await ingest([
        track(1, 'milestone_reached', { milestone: 'second-report' }),
        track(2, 'feature_used', { feature: 'reports' }),
        track(0, 'kb_article_viewed', { articleId: 'a-2' }),
      ]);
      expect(await rescoredSince(before)).toEqual(['acct-0']);
      await expectKeptEqualsScratch();
    }, 120_000);
  },
);
