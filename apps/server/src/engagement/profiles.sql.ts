import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { accountsAsOf } from '../time/accounts-as-of.sql.js';
import { utcDay } from '../time/utc-day.js';

export interface RecentUser {
  userId: string;
  lastSeenDay: string;
}

/** When the subject was first seen, and last seen before `asOf`; null when not seen by then. */
export async function seenAsOf(
  db: Db,
  projectId: string,
  column: 'account_id' | 'user_id',
  id: string,
  asOf: Date,
): Promise<{ firstSeen: string; lastSeen: string } | null> {
  const row = await db
    .selectFrom('events')
    .select((eb) => [eb.fn.min('timestamp').as('first'), eb.fn.max('timestamp').as('last')])
    .where('project_id', '=', projectId)
    .where(column, '=', id)
    .where('timestamp', '<', asOf)
    .executeTakeFirst();
  if (!row?.first || !row.last) return null;
  return {
    firstSeen: new Date(row.first as Date).toISOString(),
    lastSeen: new Date(row.last as Date).toISOString(),
  };
}

/**
 * An account's member count (memberships begun before `asOf`) and its five most recently
 * active users as of `asOf`, with the UTC day of their last activity.
 */
export async function accountMembers(
  db: Db,
  projectId: string,
  accountId: string,
  asOf: Date,
): Promise<{ total: number; recent: RecentUser[] }> {
  const day = utcDay(asOf);
  const [members, recent] = await Promise.all([
    db
      .selectFrom('account_users')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('project_id', '=', projectId)
      .where('account_id', '=', accountId)
      .where('first_seen', '<', asOf)
      .executeTakeFirst(),
    sql<RecentUser>`
      select user_id as "userId", max(day)::text as "lastSeenDay" from (
        select user_id, day from user_daily
        where project_id = ${projectId} and account_id = ${accountId} and day < ${day}::date
        union all
        select user_id, ${day}::date from events
        where project_id = ${projectId} and account_id = ${accountId} and user_id is not null
          and timestamp >= ${`${day}T00:00:00Z`}::timestamptz
          and timestamp < ${asOf.toISOString()}::timestamptz
      ) seen
      group by user_id order by 2 desc, 1 limit 5
    `.execute(db),
  ]);
  return { total: Number(members?.total ?? 0), recent: recent.rows };
}

/** An account's traits as they were at `asOf` (`{}` when it had none then, or is unknown). */
export async function accountTraitsAsOf(
  db: Db,
  projectId: string,
  accountId: string,
  asOf: Date,
): Promise<Record<string, unknown>> {
  const result = await sql<{ traits: Record<string, unknown> }>`
    select traits from ${accountsAsOf(projectId, asOf, sql`and a.account_id = ${accountId}`)} a
  `.execute(db);
  return result.rows[0]?.traits ?? {};
}

/**
 * A user's traits as of `asOf` (the time-ordered merge of their identify calls until then;
 * the stored merge when none came later), latest account and account memberships, or null
 * when unknown. The account is the latest group call's, even when it came after `asOf`.
 */
export async function userRecord(db: Db, projectId: string, userId: string, asOf: Date) {
  const at = asOf.toISOString();
  const [user, memberships] = await Promise.all([
    sql<{ traits: Record<string, unknown>; account_id: string | null }>`
      select case when u.account_at > ${at}::timestamptz
        -- The latest group call came later: the account the user had most recently joined
        -- by then (a user's first event in an account is its group call, or just after it).
        then (select m.account_id from account_users m
          where m.project_id = ${projectId} and m.user_id = u.user_id
            and m.first_seen <= ${at}::timestamptz
          order by m.first_seen desc limit 1)
        else u.account_id end as account_id,
        case when u.traits_at > ${at}::timestamptz
        then coalesce((
          select tenure_jsonb_merge(c.traits order by c.timestamp, c.message_id)
          from user_trait_changes c
          where c.project_id = ${projectId} and c.user_id = u.user_id
            and c.timestamp <= ${at}::timestamptz), '{}')
        else u.traits end as traits
      from users u
      where u.project_id = ${projectId} and u.user_id = ${userId}
    `
      .execute(db)
      .then((result) => result.rows[0]),
    db
      .selectFrom('account_users')
      .select(['account_id', 'first_seen', 'last_seen'])
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .where('first_seen', '<', asOf)
      .orderBy('last_seen', 'desc')
      .execute(),
  ]);
  if (!user) return null;
  return {
    traits: user.traits,
    accountId: user.account_id,
    accounts: memberships.map((row) => ({
      accountId: row.account_id,
      firstSeen: row.first_seen.toISOString(),
    })),
  };
}
