import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { inferKeyFeatures } from '../risk/key-features.sql.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { addDays, utcDay } from '../time/utc-day.js';

export interface FeatureUse {
  feature: string;
  /** One of the project's key features (configured, or inferred from the most adopted). */
  key: boolean;
  /** Used in the last 28 days (the day of `asOf` included, up to `asOf`). */
  adopted: boolean;
  /** UTC days of the first and last use; null when never used. */
  firstUsed: string | null;
  lastUsed: string | null;
  uses: number;
  uses28: number;
  /** Distinct users who used it in the last 28 days, and their share of the active users. */
  users28: number;
  userShare28: number | null;
}

export interface FeatureAdoption {
  keyFeaturesSource: 'configured' | 'inferred';
  /** Users with any product use in the last 28 days. */
  activeUsers28: number;
  keyFeatures: FeatureUse[];
  /** Features used that are not key features, most used first. */
  otherFeatures: FeatureUse[];
}

interface UseRow {
  feature: string;
  first_used: string;
  last_used: string;
  uses: number;
  uses_28: number;
  users_28: number;
}

/**
 * One account's use of every feature as of `asOf`: rollup days before the day of `asOf`, and
 * that day's raw `feature_used` events before `asOf`.
 */
export async function featureAdoption(
  db: Db,
  projectId: string,
  accountId: string,
  asOf: Date,
): Promise<FeatureAdoption> {
  const day = utcDay(asOf);
  const since28 = addDays(day, -27);
  const dayStart = `${day}T00:00:00Z`;
  const settings = await getProjectSettings(db, projectId);
  const configured = settings.keyFeatures.length > 0;
  const [keys, uses, active] = await Promise.all([
    configured ? settings.keyFeatures : inferKeyFeatures(db, projectId, asOf),
    sql<UseRow>`
      with uses as (
        select feature, day, user_id, uses from feature_daily
        where project_id = ${projectId} and account_id = ${accountId} and day < ${day}::date
        union all
        select properties ->> 'feature', ${day}::date, coalesce(user_id, ''), count(*)::int
        from events
        where project_id = ${projectId} and account_id = ${accountId}
          and type = 'track' and event = 'feature_used'
          and timestamp >= ${dayStart}::timestamptz and timestamp < ${asOf.toISOString()}::timestamptz
        group by 1, 3
      )
      select feature, min(day)::text as first_used, max(day)::text as last_used,
        sum(uses)::int as uses,
        coalesce(sum(uses) filter (where day >= ${since28}::date), 0)::int as uses_28,
        count(distinct user_id) filter (where day >= ${since28}::date and user_id <> '')::int
          as users_28
      from uses group by feature
    `.execute(db),
    sql<{ users: number }>`
      select count(distinct user_id)::int as users from (
        select user_id from user_daily
        where project_id = ${projectId} and account_id = ${accountId}
          and day >= ${since28}::date and day < ${day}::date
          and (logins > 0 or feature_uses > 0 or page_views > 0)
        union
        select user_id from events
        where project_id = ${projectId} and account_id = ${accountId} and user_id is not null
          and (event in ('login', 'feature_used') or type in ('page', 'screen'))
          and timestamp >= ${dayStart}::timestamptz and timestamp < ${asOf.toISOString()}::timestamptz
      ) active
    `.execute(db),
  ]);
  const activeUsers28 = active.rows[0]?.users ?? 0;
  const byFeature = new Map(uses.rows.map((row) => [row.feature, row]));
  const describe = (feature: string, key: boolean): FeatureUse => {
    const row = byFeature.get(feature);
    return {
      feature,
      key,
      adopted: (row?.uses_28 ?? 0) > 0,
      firstUsed: row?.first_used ?? null,
      lastUsed: row?.last_used ?? null,
      uses: row?.uses ?? 0,
      uses28: row?.uses_28 ?? 0,
      users28: row?.users_28 ?? 0,
      userShare28:
        activeUsers28 > 0 ? Math.round(((row?.users_28 ?? 0) / activeUsers28) * 1000) / 1000 : null,
    };
  };
  const keySet = new Set(keys);
  return {
    keyFeaturesSource: configured ? 'configured' : 'inferred',
    activeUsers28,
    keyFeatures: keys.map((feature) => describe(feature, true)),
    otherFeatures: uses.rows
      .filter((row) => !keySet.has(row.feature))
      .sort((a, b) => b.uses - a.uses || a.feature.localeCompare(b.feature))
      .map((row) => describe(row.feature, false)),
  };
}
