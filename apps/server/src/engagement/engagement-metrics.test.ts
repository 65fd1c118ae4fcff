import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { DAY_MS } from '../time/utc-day.js';
import { engagementSeries } from './engagement-metrics.sql.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const DAYS = 75;
const FIRST_DAY = Date.parse('2026-06-01T00:00:00Z');
const dayOf = (n: number) => new Date(FIRST_DAY + n * DAY_MS).toISOString().slice(0, 10);

// The straightforward answer: every day joined to every activity of its trailing 30 days.
const referenceSeries = (t: TestApp, from: string, to: string) =>
  sql<{
    day: string;
    dau: number;
    wau: number;
    mau: number;
    activeAccounts: number;
  }>`
  with active as (
    select day, user_id, account_id from user_daily
    where project_id = ${t.projectId} and (logins > 0 or feature_uses > 0 or page_views > 0)
  ),
  days as (select generate_series(${from}::date, ${to}::date, interval '1 day')::date as day)
  select d.day::text as day,
    count(distinct a.user_id) filter (where a.day = d.day)::int as dau,
    count(distinct a.user_id) filter (where a.day > d.day - 7)::int as wau,
    count(distinct a.user_id)::int as mau,
    count(distinct a.account_id) filter (where a.account_id <> '')::int as "activeAccounts"
  from days d left join active a on a.day <= d.day and a.day > d.day - 30
  group by d.day order by d.day`.execute(t.app.services.db);

describe.each(engines)('engagement series on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const next = random(7);
    const messages: object[] = [];
    // 40 users of 8 accounts (and some of none), active on random days with gaps of every length.
    for (let user = 0; user < 40; user += 1) {
      const activity = 0.05 + next() * 0.6;
      for (let day = 0; day < DAYS; day += 1) {
        if (next() > activity) continue;
        messages.push({
          type: 'track',
          messageId: `u${user}-d${day}`,
          userId: `user-${user}`,
          event: next() < 0.5 ? 'login' : 'report_exported',
          ...(user % 5 === 4 ? {} : { context: { groupId: `account-${user % 8}` } }),
          timestamp: `${dayOf(day)}T12:00:00Z`,
        });
      }
    }
    for (let i = 0; i < messages.length; i += 500) await t.ingest(messages.slice(i, i + 500));
  });
  afterAll(() => t.close());

  it('counts DAU, WAU, MAU and active accounts as the day-by-day join does', async () => {
    const from = dayOf(20);
    const to = dayOf(DAYS + 10); // past the last activity: windows run out
    const series = await engagementSeries(
      t.app.services.db,
      t.projectId,
      { from, to },
      new Date(`${to}T23:00:00Z`),
    );
    const expected = (await referenceSeries(t, from, to)).rows.map((row) => ({
      ...row,
      stickiness: row.mau > 0 ? Math.round((row.dau / row.mau) * 1000) / 1000 : null,
    }));
    expect(series).toEqual(expected);
    expect(series.some((day) => day.mau > 0 && day.wau < day.mau)).toBe(true);
  });
});
