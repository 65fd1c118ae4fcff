import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { utcDay } from '../time/utc-day.js';
import { readsToday } from './account-features.sql.js';
import type { TodayActivity } from './account-features.types.js';

const NO_ACTIVITY: TodayActivity = { logins: 0, kbViews: 0, milestones: 0, keyFeaturesUsed: [] };

/**
 * The accounts' activity on `asOf`'s day, as the feature statement reads it (`today` of
 * `AccountFeatures`: none for a past `asOf`): two key probes per account.
 */
export async function todayActivity(
  db: Db,
  projectId: string,
  query: { asOf: Date; accountIds: string[]; keyFeatures: string[] },
): Promise<Map<string, TodayActivity>> {
  const { asOf, accountIds, keyFeatures } = query;
  if (!readsToday(asOf) || accountIds.length === 0) {
    return new Map(accountIds.map((id) => [id, NO_ACTIVITY]));
  }
  const day = utcDay(asOf);
  const { rows } = await sql<{
    account_id: string;
    logins: number | null;
    kb_views: number | null;
    milestones: number | null;
    key_used_today: string[] | null;
  }>`
    select acct.account_id, d.logins, d.kb_views, d.milestones, key_today.key_used_today
    from accounts acct
    left join lateral (
      select d.logins, d.kb_views, d.milestones from account_daily d
      where d.project_id = ${projectId} and d.account_id = acct.account_id
        and d.day = ${day}::date
      limit 1
    ) d on true
    cross join lateral (
      select array_agg(distinct f.feature order by f.feature) as key_used_today
      from feature_daily f
      where f.project_id = ${projectId} and f.account_id = acct.account_id
        and f.day = ${day}::date and f.feature = any(${keyFeatures}::text[])
    ) key_today
    where acct.project_id = ${projectId} and acct.account_id = any(${accountIds}::text[])
  `.execute(db);
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        logins: row.logins ?? 0,
        kbViews: row.kb_views ?? 0,
        milestones: row.milestones ?? 0,
        keyFeaturesUsed: row.key_used_today ?? [],
      },
    ]),
  );
}
