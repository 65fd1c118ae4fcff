import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { addDays, utcDay } from '../time/utc-day.js';
import type { DayRange } from './time-buckets.js';

export interface EngagementDay {
  day: string;
  /** Distinct users with product use on the day, in the trailing 7 and 30 days. */
  dau: number;
  wau: number;
  mau: number;
  /** DAU / MAU; null when nobody was active in 30 days. */
  stickiness: number | null;
  /** Distinct accounts with product use in the trailing 30 days. */
  activeAccounts: number;
}

/** Most days one engagement series may hold. */
export const MAX_METRIC_DAYS = 366;

/**
 * DAU, WAU, MAU, stickiness and active accounts of the project for every day of `range`, as of
 * `asOf` (the day of `asOf` counts up to `asOf`). Product use is a login, a feature use or a
 * page view by an identified user.
 */
export async function engagementSeries(
  db: Db,
  projectId: string,
  range: DayRange,
  asOf: Date,
): Promise<EngagementDay[]> {
  const asOfDay = utcDay(asOf);
  const rollupsBefore = range.to === asOfDay ? asOfDay : addDays(range.to, 1);
  const rawUntil = range.to === asOfDay ? asOf.toISOString() : `${rollupsBefore}T00:00:00Z`;
  const calendarFrom = addDays(range.from, -29);
  // Distinct users in a trailing window, per day, without joining every day to every activity
  // in its window (days × window × users rows). A user's activity day d, followed by the next
  // one at n, keeps the user in the W-day window on the days [d, min(n, d + W)): one segment
  // per activity day, never overlapping another of the same user. Each day's count is then the
  // running sum of +1 at segment starts and -1 at segment ends: linear in the activity rows.
  const result = await sql<EngagementDay>`
    with active as (
      select day, user_id, account_id from user_daily
      where project_id = ${projectId}
        and day >= ${calendarFrom}::date and day < ${rollupsBefore}::date
        and (logins > 0 or feature_uses > 0 or page_views > 0)
      union
      select (timestamp at time zone 'UTC')::date, user_id, coalesce(account_id, '') from events
      where project_id = ${projectId} and user_id is not null
        and (event in ('login', 'feature_used') or type in ('page', 'screen'))
        and timestamp >= ${`${rollupsBefore}T00:00:00Z`}::timestamptz
        and timestamp < ${rawUntil}::timestamptz
    ),
    user_days as (
      select day, user_id, lead(day) over (partition by user_id order by day) as next_day
      from (select distinct day, user_id from active) d
    ),
    account_days as (
      select day, lead(day) over (partition by account_id order by day) as next_day
      from (select distinct day, account_id from active where account_id <> '') d
    ),
    deltas as (
      select day, 1 as dau, 0 as wau, 0 as mau, 0 as accounts from user_days
      union all select day + 1, -1, 0, 0, 0 from user_days
      union all select day, 0, 1, 0, 0 from user_days
      union all select least(next_day, day + 7), 0, -1, 0, 0 from user_days
      union all select day, 0, 0, 1, 0 from user_days
      union all select least(next_day, day + 30), 0, 0, -1, 0 from user_days
      union all select day, 0, 0, 0, 1 from account_days
      union all select least(next_day, day + 30), 0, 0, 0, -1 from account_days
    ),
    per_day as (
      select day, sum(dau) as dau, sum(wau) as wau, sum(mau) as mau, sum(accounts) as accounts
      from deltas group by day
    ),
    running as (
      select c.day,
        sum(coalesce(p.dau, 0)) over w as dau, sum(coalesce(p.wau, 0)) over w as wau,
        sum(coalesce(p.mau, 0)) over w as mau, sum(coalesce(p.accounts, 0)) over w as accounts
      from (
        select generate_series(${calendarFrom}::date, ${range.to}::date, interval '1 day')::date
          as day
      ) c
      left join per_day p using (day)
      window w as (order by c.day)
    )
    select day::text as day, dau::int as dau, wau::int as wau, mau::int as mau,
      accounts::int as "activeAccounts"
    from running where day >= ${range.from}::date order by day
  `.execute(db);
  return result.rows.map((row) => ({
    ...row,
    stickiness: row.mau > 0 ? Math.round((row.dau / row.mau) * 1000) / 1000 : null,
  }));
}
