import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { addDays, utcDay } from '../time/utc-day.js';

/** How many features count as "key" when a project has not configured any. */
export const INFERRED_KEY_FEATURES = 6;

/**
 * The project's most widely adopted features over the 90 days before `asOf`'s day: the ones
 * used by the most accounts (breadth, not raw uses, so one heavy account cannot make a feature
 * "key"). Used when settings.keyFeatures is empty.
 *
 * @example
 * await inferKeyFeatures(db, projectId, new Date()); // ['dashboards', 'reports', ...]
 */
export async function inferKeyFeatures(
  db: Db,
  projectId: string,
  asOf: Date,
  limit = INFERRED_KEY_FEATURES,
): Promise<string[]> {
  const day = utcDay(asOf);
  const result = await sql<{ feature: string }>`
    select feature from feature_daily
    where project_id = ${projectId} and account_id <> ''
      and day >= ${addDays(day, -90)}::date and day < ${day}::date
    group by feature
    order by count(distinct account_id) desc, feature
    limit ${limit}
  `.execute(db);
  return result.rows.map((row) => row.feature);
}
