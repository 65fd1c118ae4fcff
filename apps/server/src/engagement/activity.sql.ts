import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { ACTIVITY_COUNTERS, type ActivityCounters } from '../db/tables/rollups.table.js';
import { COUNTERS } from '../ingest/activity-counters.sql.js';
import { addDays, utcDay } from '../time/utc-day.js';
import type { DayRange, Interval } from './time-buckets.js';

/** Whose activity: one account's (all its users) or one user's (in every account). */
export type Subject = { kind: 'account'; id: string } | { kind: 'user'; id: string };

export interface ActivityBucket extends ActivityCounters {
  /** First day of the bucket. */
  start: string;
  /** Days in the bucket with a login, feature use or page view. */
  activeDays: number;
  /** Distinct users with a login, feature use or page view in the bucket. */
  activeUsers: number;
}

/** Product use, as opposed to e.g. an email opened: what makes a day or a user "active". */
const ACTIVE_ROLLUP = sql`(logins > 0 or feature_uses > 0 or page_views > 0)`;
const ACTIVE_EVENT = sql`(event in ('login', 'feature_used') or type <> 'track')`;
const COUNTED_TYPES = sql`type in ('track', 'page', 'screen')`;

/**
 * Where the rollups stop and raw events take over. Rollups hold whole UTC days; the day of
 * `asOf` is read from raw events before `asOf`, so an answer as of 10:00 counts nothing that
 * happened at 10:01 (and an answer as of now counts today so far).
 */
interface Cut {
  /** Rollup days are those before this day. */
  rollupsBefore: string;
  /** Raw events from the start of `rollupsBefore` up to this instant; null: none. */
  rawUntil: Date | null;
}

function cutOf(to: string, asOf: Date): Cut {
  return to === utcDay(asOf)
    ? { rollupsBefore: to, rawUntil: asOf }
    : { rollupsBefore: addDays(to, 1), rawUntil: null };
}

function subjectColumn(subject: Subject) {
  return sql.ref(subject.kind === 'account' ? 'account_id' : 'user_id');
}

/** Daily counter rows of the subject in [from, cut), rollups then raw events. */
function dailyCounters(projectId: string, subject: Subject, from: string, cut: Cut) {
  const table = sql.table(subject.kind === 'account' ? 'account_daily' : 'user_daily');
  const column = subjectColumn(subject);
  const columns = sql.join(ACTIVITY_COUNTERS.map((name) => sql.ref(name)));
  const rollups = sql`
    select day, ${columns} from ${table}
    where project_id = ${projectId} and ${column} = ${subject.id}
      and day >= ${from}::date and day < ${cut.rollupsBefore}::date`;
  if (!cut.rawUntil) return rollups;
  return sql`${rollups}
    union all
    select (timestamp at time zone 'UTC')::date as day, ${COUNTERS} from events
    where project_id = ${projectId} and ${column} = ${subject.id} and ${COUNTED_TYPES}
      and timestamp >= ${`${cut.rollupsBefore}T00:00:00Z`}::timestamptz
      and timestamp < ${cut.rawUntil.toISOString()}::timestamptz
    group by 1`;
}

/** (day, user) pairs of product use by the subject in [from, cut). */
function activeUserDays(projectId: string, subject: Subject, from: string, cut: Cut) {
  const column = subjectColumn(subject);
  const rollups = sql`
    select day, user_id from user_daily
    where project_id = ${projectId} and ${column} = ${subject.id}
      and day >= ${from}::date and day < ${cut.rollupsBefore}::date and ${ACTIVE_ROLLUP}`;
  if (!cut.rawUntil) return rollups;
  return sql`${rollups}
    union
    select (timestamp at time zone 'UTC')::date, user_id from events
    where project_id = ${projectId} and ${column} = ${subject.id} and user_id is not null
      and ${COUNTED_TYPES} and ${ACTIVE_EVENT}
      and timestamp >= ${`${cut.rollupsBefore}T00:00:00Z`}::timestamptz
      and timestamp < ${cut.rawUntil.toISOString()}::timestamptz`;
}

const bucketOf = (interval: Interval): RawBuilder<string> =>
  sql<string>`date_trunc(${sql.lit(interval)}, day::timestamp)::date::text`;

/**
 * The subject's activity per bucket over `range`, as of `asOf`. Only buckets with activity are
 * returned; callers fill the gaps.
 */
export async function activityBuckets(
  db: Db,
  projectId: string,
  subject: Subject,
  range: DayRange,
  interval: Interval,
  asOf: Date,
): Promise<ActivityBucket[]> {
  const cut = cutOf(range.to, asOf);
  const sums = sql.join(
    ACTIVITY_COUNTERS.map(
      (name) => sql`coalesce(sum(${sql.ref(name)}), 0)::int as ${sql.ref(name)}`,
    ),
  );
  const result = await sql<ActivityBucket>`
    with daily as (${dailyCounters(projectId, subject, range.from, cut)}),
    active as (${activeUserDays(projectId, subject, range.from, cut)}),
    counters as (
      select ${bucketOf(interval)} as start, ${sums},
        count(distinct day) filter (where ${ACTIVE_ROLLUP})::int as active_days
      from daily group by 1
    ),
    users as (
      select ${bucketOf(interval)} as start, count(distinct user_id)::int as active_users
      from active group by 1
    )
    select counters.*, coalesce(users.active_users, 0) as active_users
    from counters left join users using (start)
    order by start
  `.execute(db);
  return result.rows.map((row) => {
    const { active_days, active_users, ...rest } = row as unknown as ActivityBucket & {
      active_days: number;
      active_users: number;
    };
    return { ...rest, activeDays: active_days, activeUsers: active_users };
  });
}

/** The days with product use by the subject from `from` up to `asOf`, oldest first. */
export async function activeDays(
  db: Db,
  projectId: string,
  subject: Subject,
  from: string,
  asOf: Date,
): Promise<string[]> {
  const cut = cutOf(utcDay(asOf), asOf);
  const result = await sql<{ day: string }>`
    select distinct day::text as day from (${dailyCounters(projectId, subject, from, cut)}) d
    where ${ACTIVE_ROLLUP}
    order by 1
  `.execute(db);
  return result.rows.map((row) => row.day);
}
