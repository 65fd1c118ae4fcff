import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.types.js';
import { addDays, utcDay } from '../risk/utc-day.js';
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
  db: DbOrTx,
  projectId: string,
  range: DayRange,
  asOf: Date,
): Promise<EngagementDay[]> {
  const asOfDay = utcDay(asOf);
  const rollupsBefore = range.to === asOfDay ? asOfDay : addDays(range.to, 1);
  const rawUntil = range.to === asOfDay ? asOf.toISOString() : `${rollupsBefore}T00:00:00Z`;
  const result = await sql<EngagementDay>`
    with active as (
      select day, user_id, account_id from user_daily
      where project_id = ${projectId}
        and day >= ${addDays(range.from, -29)}::date and day < ${rollupsBefore}::date
        and (logins > 0 or feature_uses > 0 or page_views > 0)
      union
      select (timestamp at time zone 'UTC')::date, user_id, coalesce(account_id, '') from events
      where project_id = ${projectId} and user_id is not null
        and (event in ('login', 'feature_used') or type in ('page', 'screen'))
        and timestamp >= ${`${rollupsBefore}T00:00:00Z`}::timestamptz
        and timestamp < ${rawUntil}::timestamptz
    ),
    days as (
      select generate_series(${range.from}::date, ${range.to}::date, interval '1 day')::date as day
    )
    select d.day::text as day,
      count(distinct a.user_id) filter (where a.day = d.day)::int as dau,
      count(distinct a.user_id) filter (where a.day > d.day - 7)::int as wau,
      count(distinct a.user_id)::int as mau,
      count(distinct a.account_id) filter (where a.account_id <> '')::int as "activeAccounts"
    from days d left join active a on a.day <= d.day and a.day > d.day - 30
    group by d.day order by d.day
  `.execute(db);
  return result.rows.map((row) => ({
    ...row,
    stickiness: row.mau > 0 ? Math.round((row.dau / row.mau) * 1000) / 1000 : null,
  }));
}
