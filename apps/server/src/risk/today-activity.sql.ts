import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { utcDay } from '../time/utc-day.js';
import { readsToday, type TodayRow, todayOf, todayProbes } from './account-features.sql.js';
import type { TodayActivity } from './account-features.types.js';

/**
 * The accounts' activity on `asOf`'s day, as the feature statement reads it (`today` of
 * `AccountFeatures`: none for a past `asOf`), with the same two key probes an account.
 */
export async function todayActivity(
  db: Db,
  projectId: string,
  query: { asOf: Date; accountIds: string[]; keyFeatures: string[] },
): Promise<Map<string, TodayActivity>> {
  const { asOf, accountIds, keyFeatures } = query;
  if (accountIds.length === 0) return new Map();
  const day = readsToday(asOf) ? sql`${utcDay(asOf)}::date` : sql`null::date`;
  const { rows } = await sql<TodayRow & { account_id: string }>`
    select acct.account_id, today.*, key_today.key_used_today
    from accounts acct
    ${todayProbes(projectId, day, keyFeatures)}
    where acct.project_id = ${projectId} and acct.account_id = any(${accountIds}::text[])
  `.execute(db);
  return new Map(rows.map((row) => [row.account_id, todayOf(row)]));
}
