import { sql } from 'kysely';
import type { Db } from '../../db/database.types.js';
import { DAY_MS, utcDay } from '../../time/utc-day.js';
import type { AccountFeatures } from '../account-features.types.js';
import { accountsWithTerms, termColumns } from '../account-terms.sql.js';
import type { AccountState, ActivityDay, LifetimeTotals } from './model-inputs.js';

/** Days since 1970-01-01 of an instant's UTC day. */
export const epochDay = (instant: Date) => Math.floor(instant.getTime() / DAY_MS);
const dayNumber = (day: string | null) =>
  day === null ? null : Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayText = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Features with a bit of their own in ActivityDay.featureMask; the rest share the last bit. */
export const FEATURE_BITS = 31;

/**
 * What is known of an account at a snapshot besides its daily activity: the days of its last
 * login, last activity and first milestone are read from that activity (see snapshotRows).
 */
export type SnapshotAccount = Omit<
  AccountState,
  'lastLoginDay' | 'lastSeenDay' | 'firstMilestoneDay'
> & {
  /** When the account cancelled, if it had by the snapshot. */
  churnedAt: string | null;
};

interface StateRow {
  account_id: string;
  start_day: string;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  billing_interval: string | null;
  churned_at: Date | string | null;
}

/**
 * The accounts that existed at `asOf`, with their plan, MRR, seats, interval, start and churn as
 * the factor features read them (account-features.sql.ts), without the activity: one cheap
 * statement per snapshot, so a year of weekly snapshots costs a year of them.
 */
export async function accountsAtSnapshot(
  db: Db,
  projectId: string,
  asOf: Date,
): Promise<SnapshotAccount[]> {
  const at = asOf.toISOString();
  const result = await sql<StateRow>`
    select acct.account_id, ${termColumns(asOf)}
    from ${accountsWithTerms(projectId, asOf, sql`and a.first_seen <= ${at}::timestamptz`)}
    order by acct.account_id
  `.execute(db);
  return result.rows.map((row) => ({
    accountId: row.account_id,
    startDay: dayNumber(row.start_day)!,
    plan: row.plan,
    mrr: row.mrr === null ? null : Number(row.mrr),
    seats: row.seats === null ? null : Number(row.seats),
    yearly: row.billing_interval === 'year',
    churnedAt: row.churned_at === null ? null : new Date(row.churned_at).toISOString(),
  }));
}

/** The state an account's factor features already hold (scoring reads those anyway). */
export function stateOfFeatures(features: AccountFeatures, asOfDay: number): AccountState {
  return {
    accountId: features.accountId,
    startDay: asOfDay - features.tenureDays,
    plan: features.plan,
    mrr: features.mrr,
    seats: features.seats,
    yearly: features.billingInterval === 'year',
    lastLoginDay:
      features.daysSinceLastLogin === null ? null : asOfDay - features.daysSinceLastLogin,
    lastSeenDay: dayNumber(features.lastSeenDay),
    firstMilestoneDay: dayNumber(features.firstMilestoneDay),
  };
}

/** The project's most used features before `asOf`: the ones with a bit of their own. */
export async function featureBitsOf(db: Db, projectId: string, asOf: Date): Promise<string[]> {
  const result = await sql<{ feature: string }>`
    select feature from feature_daily
    where project_id = ${projectId} and day < ${utcDay(asOf)}::date
    group by feature order by sum(uses) desc, feature limit ${FEATURE_BITS - 1}
  `.execute(db);
  return result.rows.map((row) => row.feature);
}

/**
 * The rows of the given accounts in a rollup keyed (project_id, account_id, …): the range of
 * their ids bounds the index scan whatever the planner's statistics say (without them, a
 * list alone was read as a filter over the project's whole rollup), the list keeps it exact.
 */
function ofAccounts(projectId: string, accountIds: string[]) {
  // Byte order, as the ids' collation "C" sorts (UTF-16 order differs beyond the BMP).
  const bytes = accountIds.map((id) => Buffer.from(id));
  if (bytes.length === 0) return sql`false`;
  const first = bytes.reduce((min, id) => (Buffer.compare(id, min) < 0 ? id : min), bytes[0]!);
  const last = bytes.reduce((max, id) => (Buffer.compare(id, max) > 0 ? id : max), bytes[0]!);
  return sql`project_id = ${projectId}
    and account_id >= ${first.toString()} and account_id <= ${last.toString()}
    and account_id = any(${accountIds}::text[])`;
}

interface DayRow {
  account_id: string;
  day: number;
  events: number;
  logins: number;
  feature_uses: number;
  tickets_opened: number;
  password_resets: number;
  kb_views: number;
  email: number;
  milestones: number;
}

/**
 * Daily activity of the given accounts on days in `[fromDay, toDay)` (epoch days), from the
 * rollups: the account's counters, its active users and a bit mask of the features used. Three
 * range reads merged here rather than one join: without statistics (PGlite gathers none) a
 * join of the grouped user and feature days is planned as a nested loop over both.
 */
export async function activityDays(
  db: Db,
  projectId: string,
  options: { fromDay: number; toDay: number; accountIds: string[]; features: string[] },
): Promise<Map<string, ActivityDay[]>> {
  const from = dayText(options.fromDay);
  const to = dayText(options.toDay);
  const range = sql`${ofAccounts(projectId, options.accountIds)}
    and day >= ${from}::date and day < ${to}::date`;
  const [days, users, features] = await Promise.all([
    sql<DayRow>`
      select account_id, (day - date '1970-01-01') as day, events, logins, feature_uses,
        tickets_opened, password_resets, kb_views, email_opens + email_clicks as email, milestones
      from account_daily where ${range}
      order by account_id, day`.execute(db),
    sql<{ account_id: string; day: number; users: number }>`
      select account_id, (day - date '1970-01-01') as day, count(*)::int as users
      from user_daily
      where ${range} and (logins > 0 or feature_uses > 0 or page_views > 0)
      group by account_id, day`.execute(db),
    sql<{ account_id: string; day: number; mask: number }>`
      select account_id, (day - date '1970-01-01') as day,
        bit_or(1 << (coalesce(array_position(${options.features}::text[], feature),
          ${FEATURE_BITS}) - 1)) as mask
      from feature_daily where ${range}
      group by account_id, day`.execute(db),
  ]);
  const key = (row: { account_id: string; day: number }) => `${row.account_id}|${row.day}`;
  const usersOf = new Map(users.rows.map((row) => [key(row), Number(row.users)]));
  const maskOf = new Map(features.rows.map((row) => [key(row), Number(row.mask)]));
  const byAccount = new Map<string, ActivityDay[]>();
  for (const row of days.rows) {
    let list = byAccount.get(row.account_id);
    if (!list) {
      list = [];
      byAccount.set(row.account_id, list);
    }
    list.push({
      day: Number(row.day),
      events: Number(row.events),
      logins: Number(row.logins),
      featureUses: Number(row.feature_uses),
      featureMask: maskOf.get(key(row)) ?? 0,
      activeUsers: usersOf.get(key(row)) ?? 0,
      ticketsOpened: Number(row.tickets_opened),
      passwordResets: Number(row.password_resets),
      kbViews: Number(row.kb_views),
      emailEngagement: Number(row.email),
      milestones: Number(row.milestones),
    });
  }
  return byAccount;
}

/** Each account's lifetime totals before `asOfDay` (epoch day), from its rollups. */
export async function lifetimeTotals(
  db: Db,
  projectId: string,
  options: { asOfDay: number; accountIds: string[] },
): Promise<Map<string, LifetimeTotals>> {
  const result = await sql<{
    account_id: string;
    logins: number | string;
    active_days: number | string;
    feature_uses: number | string;
  }>`
    select account_id, sum(logins) as logins, count(*) filter (where events > 0) as active_days,
      sum(feature_uses) as feature_uses
    from account_daily
    where ${ofAccounts(projectId, options.accountIds)} and day < ${dayText(options.asOfDay)}::date
    group by account_id
  `.execute(db);
  return new Map(
    result.rows.map((row) => [
      row.account_id,
      {
        logins: Number(row.logins),
        activeDays: Number(row.active_days),
        featureUses: Number(row.feature_uses),
      },
    ]),
  );
}
