import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { DAY_MS } from '../time/utc-day.js';
import { listPage } from './account-list.js';
import type { AccountListItem } from './account-list.schemas.js';
import { scoredItem } from './account-list-items.js';
import { scoreProject } from './score-accounts.js';

const ACCOUNTS = 8;
const KEY_FEATURES = ['reports', 'dashboards'];
const comparable = ({ scoredAt: _, ...item }: AccountListItem) => item;
// The keeper reads "today" only at the real time, so this test runs on the real clock; events of
// the day must stay of the day while it runs.
const minuteOfDay = (Date.now() % DAY_MS) / 60_000;
const nearMidnight = minuteOfDay < 2 || minuteOfDay > 24 * 60 - 10;

describe.skipIf(nearMidnight).each(engines)(
  'kept rows and what the list says of today on %s',
  (engine) => {
    let t: TestApp;
    let sent = 0;
    /** Sends the events (each accepted), then waits for the keeper to finish with them. */
    const ingest = async (events: object[]) => {
      await t.ingest(events.map((event, i) => ({ messageId: `m-${sent + i}`, ...event })));
      sent += events.length;
      await t.app.services.scores.settle();
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
      select account_id, scored_at from account_scores where project_id = ${t.projectId}
    `.execute(t.app.services.db);
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
      const { values } = await t.app.services.metrics.keeperAccounts.get();
      return Object.fromEntries(values.map(({ labels, value }) => [labels.work, value]));
    };

    /** The keeper's work between two readings of `keeperWork`, by work (changes only). */
    const since = (before: Record<string, number>, after: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(after)
          .map(([work, accounts]) => [work, accounts - (before[work] ?? 0)] as const)
          .filter(([, accounts]) => accounts !== 0),
      );

    /** The kept list, what it says of the day included, equals a scoring from scratch now. */
    const expectListEqualsScratch = async () => {
      const settings = await getProjectSettings(t.app.services.db, t.projectId);
      const { scored } = await scoreProject(t.app.services.db, t.projectId, {
        includeChurned: true,
      });
      const response = await t.get('/v1/accounts?status=all&limit=100');
      const listed = (response.json() as { accounts: AccountListItem[] }).accounts;
      const expected = listPage(scored, settings, { sort: 'risk', filters: {}, limit: 100 });
      expect(listed.map(comparable)).toEqual(
        expected.accounts.map((account) => comparable(scoredItem(account, settings))),
      );
    };

    beforeAll(async () => {
      t = await createTestApp(engine, { TENURE_JOBS_INTERVAL_MINUTES: 0 });
      const put = await t.app.inject({
        method: 'PUT',
        url: '/v1/settings',
        headers: { authorization: `Bearer ${t.secretKey}` },
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
      await t.app.services.scores.checkProjects();
      await t.app.services.scores.settle();
    }, 120_000);
    afterAll(() => t?.close());

    it('rewrites a kept row only when its events change what it holds, and lists today as it is', async () => {
      await expectListEqualsScratch();
      const all = Array.from({ length: ACCOUNTS }, (_, a) => `acct-${a}`).sort();

      // The day's first logins, more logins, a feature that is not key, a custom event, page
      // views, an article view (its number is quoted), a first milestone and a key feature: the
      // score counts complete days only, so no row changes; the list says what the day holds.
      let before = await scoredAt();
      let work = await keeperWork();
      await ingest(all.map((_, a) => track(a, 'login')));
      await expectListEqualsScratch();
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
      await ingest([
        track(0, 'kb_article_viewed', { articleId: 'a-1' }),
        track(1, 'milestone_reached', { milestone: 'first-report' }),
        track(2, 'feature_used', { feature: 'reports' }),
      ]);
      expect(await rescoredSince(before)).toEqual([]);
      expect(since(work, await keeperWork())).toEqual({ check: 8 + 8 + 3, leave: 8 + 8 + 3 });
      await expectListEqualsScratch();

      // New traits (an MRR, which the counts by tier add up, and seats, which they do not), a
      // ticket, a plan change: refreshed from the row's kept features; the same traits again:
      // refreshed, and left as they were; a late login of yesterday: scored in full.
      before = await scoredAt();
      work = await keeperWork();
      await ingest([
        { type: 'group', userId: 'acct-3-u0', groupId: 'acct-3', traits: { mrr: 999 } },
        track(4, 'login', {}, Date.now() - DAY_MS),
        track(5, 'support_ticket_opened', { ticketId: 't-5' }),
        track(6, 'subscription_changed', { plan: 'business', mrr: 1_200 }),
        { type: 'group', userId: 'acct-7-u0', groupId: 'acct-7', traits: { seats: 9 } },
        { type: 'group', userId: 'acct-0-u0', groupId: 'acct-0', traits: { seats: 5 } },
      ]);
      expect(await rescoredSince(before)).toEqual([
        'acct-3',
        'acct-4',
        'acct-5',
        'acct-6',
        'acct-7',
      ]);
      expect(since(work, await keeperWork())).toEqual({ refresh: 5, rescore: 1 });
      await expectListEqualsScratch();

      // An account first seen today has no row: it is scored, and listed.
      work = await keeperWork();
      await ingest([track(ACCOUNTS, 'login')]);
      expect(since(work, await keeperWork())).toEqual({ check: 1, rescore: 1 });
      expect((await scoredAt()).has(`acct-${ACCOUNTS}`)).toBe(true);
      await expectListEqualsScratch();
    }, 120_000);
  },
);
