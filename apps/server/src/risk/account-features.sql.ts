import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { addDays, DAY_MS, daysBetween, utcDay } from '../time/utc-day.js';
import type {
  AccountFeatures,
  AccountTerms,
  AccountTickets,
  FeatureQuery,
  TodayActivity,
} from './account-features.types.js';
import { accountsWithTerms, termColumns } from './account-terms.sql.js';

interface FeatureRow extends TermsRow, TicketRow, TodayRow {
  account_id: string;
  last_login_day: string | null;
  last_seen_day: string | null;
  first_milestone_day: string | null;
  logins_28: number | null;
  logins_prev_28: number | null;
  login_days_28: number | null;
  feature_uses_28: number | null;
  feature_uses_prev_28: number | null;
  password_resets_28: number | null;
  kb_views_90: number | null;
  email_opens_28: number | null;
  email_opens_prev_28: number | null;
  email_clicks_28: number | null;
  email_clicks_prev_28: number | null;
  milestones_90: number | null;
  active_users_28: number | null;
  key_used_28: string[] | null;
  key_used_prev_28: string[] | null;
  key_uses_28: number | null;
  key_uses_prev_28: number | null;
  key_ever_used: string[] | null;
  previous_score: number | null;
}

/** The columns of `termColumns` (account-terms.sql.ts), with the account's name. */
export interface TermsRow {
  name: string | null;
  plan: string | null;
  mrr: number | null;
  seats: number | null;
  billing_interval: string | null;
  start_day: string;
  churned_at: Date | string | null;
}

/** The columns `todayProbes` adds to a statement over accounts aliased `acct`. */
export interface TodayRow {
  logins_today: number | null;
  kb_views_today: number | null;
  milestones_today: number | null;
  key_used_today: string[] | null;
}

/**
 * Lateral probes of `asOf`'s day for each account `acct`: its activity counters and the key
 * features it used that day, as `TodayRow`'s columns; none (nulls) when the features as of
 * `asOf` do not read its day (`readsToday`).
 */
export function todayProbes(
  projectId: string,
  asOf: Date,
  keyFeatures: string[],
): RawBuilder<unknown> {
  const day = readsToday(asOf) ? sql`${utcDay(asOf)}::date` : sql`null::date`;
  return sql`
    left join lateral (
      -- The asOf day: not counted by the score (whole days only), read so that messages never
      -- call "never" or "none" what the account did today. Two index probes per account.
      -- "limit 1" (the key is unique anyway) keeps this a probe: a plain subquery is pulled up
      -- into a join, planned as a scan of the project's whole key range for the day's rows
      -- (17 ms of one account's 18 at 2,000 accounts, growing with every account).
      select d.logins as logins_today, d.kb_views as kb_views_today,
        d.milestones as milestones_today
      from account_daily d
      where d.project_id = ${projectId} and d.account_id = acct.account_id and d.day = ${day}
      limit 1
    ) today on true
    cross join lateral (
      select array_agg(distinct f.feature order by f.feature) as key_used_today
      from feature_daily f
      where f.project_id = ${projectId} and f.account_id = acct.account_id
        and f.day = ${day} and f.feature = any(${keyFeatures}::text[])
    ) key_today`;
}

/** `TodayActivity` from `todayProbes`' columns. */
export function todayOf(row: TodayRow): TodayActivity {
  return {
    logins: row.logins_today ?? 0,
    kbViews: row.kb_views_today ?? 0,
    milestones: row.milestones_today ?? 0,
    keyFeaturesUsed: row.key_used_today ?? [],
  };
}

/** The columns `ticketProbe` adds to a statement over accounts aliased `acct`. */
export interface TicketRow {
  tickets_opened_90: number | null;
  tickets_open: number | null;
  tickets_unsatisfied_90: number | null;
  tickets_without_follow_up_90: number | null;
}

/** A lateral probe of each account `acct`'s support tickets as of `asOf`, as `TicketRow`. */
export function ticketProbe(projectId: string, asOf: Date): RawBuilder<unknown> {
  const at = asOf.toISOString();
  const day = utcDay(asOf);
  return sql`
    cross join lateral (
      select
        count(*) filter (where t.opened_at > ${at}::timestamptz - interval '90 days')
          as tickets_opened_90,
        count(*) filter (where t.resolved_at is null or t.resolved_at > ${at}::timestamptz)
          as tickets_open,
        count(*) filter (where t.satisfied = false and t.resolved_at <= ${at}::timestamptz
          and t.resolved_at > ${at}::timestamptz - interval '90 days') as tickets_unsatisfied_90,
        -- "Support requests not followed by successful activity": no login or feature use in
        -- the 7 days after the ticket's day. Only tickets whose 7 days are complete count.
        count(*) filter (where t.opened_at > ${at}::timestamptz - interval '90 days'
          and (t.opened_at at time zone 'UTC')::date + 7 < ${day}::date
          and not exists (
            select 1 from account_daily f
            where f.project_id = ${projectId} and f.account_id = t.account_id
              and f.day > (t.opened_at at time zone 'UTC')::date
              and f.day <= (t.opened_at at time zone 'UTC')::date + 7
              and (f.logins > 0 or f.feature_uses > 0))) as tickets_without_follow_up_90
      from support_tickets t
      where t.project_id = ${projectId} and t.account_id = acct.account_id
        and t.opened_at <= ${at}::timestamptz
    ) tickets`;
}

/**
 * Whether features as of `asOf` read the activity of its own day. The day's rollup also counts
 * what happened after `asOf` that day: it is read only for an answer about now, so that an
 * answer as of a past time cannot see later events.
 */
export function readsToday(asOf: Date): boolean {
  return Date.now() - asOf.getTime() < 60_000;
}

/** The feature statement (exported for EXPLAIN in benchmarks and tests). */
export function featureStatement(projectId: string, query: FeatureQuery) {
  const asOf = query.asOf.toISOString();
  const day = utcDay(query.asOf);
  const d28 = addDays(day, -28);
  const d56 = addDays(day, -56);
  const d90 = addDays(day, -90);
  const trendCutoff = new Date(query.asOf.getTime() - 7 * DAY_MS).toISOString();
  const ids = query.accountIds;
  const only = (column: string) =>
    ids ? sql`and ${sql.ref(column)} = any(${ids}::text[])` : sql``;
  const keys = query.keyFeatures;
  const existedThen = sql`and a.first_seen <= ${asOf}::timestamptz ${only('a.account_id')}`;

  // Every source is a lateral probe of one account's index range, (project_id, account_id,
  // day) and alike: cost grows with accounts × days, the plan does not depend on statistics
  // (PGlite never gathers any by itself), and one account costs a handful of index descents.
  return sql<FeatureRow>`
    select acct.account_id, acct.name, ${termColumns(query.asOf)},
      last_login.day::text as last_login_day, last_seen.day::text as last_seen_day,
      first_milestone.day::text as first_milestone_day,
      daily.*, users.active_users_28, key_use.*, ever.key_ever_used, tickets.*,
      today.*, key_today.key_used_today,
      previous.score as previous_score
    from ${accountsWithTerms(projectId, query.asOf, existedThen)}
    cross join lateral (
      select
        sum(logins) filter (where day >= ${d28}::date) as logins_28,
        sum(logins) filter (where day < ${d28}::date and day >= ${d56}::date) as logins_prev_28,
        count(*) filter (where day >= ${d28}::date and logins > 0) as login_days_28,
        sum(feature_uses) filter (where day >= ${d28}::date) as feature_uses_28,
        sum(feature_uses) filter (where day < ${d28}::date and day >= ${d56}::date)
          as feature_uses_prev_28,
        sum(password_resets) filter (where day >= ${d28}::date) as password_resets_28,
        sum(kb_views) as kb_views_90,
        sum(email_opens) filter (where day >= ${d28}::date) as email_opens_28,
        sum(email_opens) filter (where day < ${d28}::date and day >= ${d56}::date)
          as email_opens_prev_28,
        sum(email_clicks) filter (where day >= ${d28}::date) as email_clicks_28,
        sum(email_clicks) filter (where day < ${d28}::date and day >= ${d56}::date)
          as email_clicks_prev_28,
        sum(milestones) as milestones_90
      from account_daily d
      where d.project_id = ${projectId} and d.account_id = acct.account_id
        and d.day >= ${d90}::date and d.day < ${day}::date
    ) daily
    cross join lateral (
      select count(distinct user_id) as active_users_28
      from user_daily u
      where u.project_id = ${projectId} and u.account_id = acct.account_id
        and u.day >= ${d28}::date and u.day < ${day}::date
        and (u.logins > 0 or u.feature_uses > 0 or u.page_views > 0)
    ) users
    cross join lateral (
      -- One row per key feature first (the index is in feature order, so no sort), then the
      -- arrays over those few rows: cheaper than distinct arrays over every user-day.
      select
        array_agg(feature order by feature) filter (where uses_28 > 0) as key_used_28,
        array_agg(feature order by feature) filter (where uses_prev_28 > 0) as key_used_prev_28,
        sum(uses_28) as key_uses_28,
        sum(uses_prev_28) as key_uses_prev_28
      from (
        select feature,
          coalesce(sum(uses) filter (where day >= ${d28}::date), 0) as uses_28,
          coalesce(sum(uses) filter (where day < ${d28}::date), 0) as uses_prev_28
        from feature_daily f
        where f.project_id = ${projectId} and f.account_id = acct.account_id
          and f.feature = any(${keys}::text[]) and f.day >= ${d56}::date and f.day < ${day}::date
        group by feature
      ) per_feature
    ) key_use
    cross join lateral (
      -- A scalar probe per key feature (not a semi-join): it stops at the first use.
      select array_agg(k.feature) as key_ever_used
      from unnest(${keys}::text[]) as k(feature)
      where (select true from feature_daily f
        where f.project_id = ${projectId} and f.account_id = acct.account_id
          and f.feature = k.feature and f.day < ${day}::date limit 1)
    ) ever
    ${todayProbes(projectId, query.asOf, keys)}
    ${ticketProbe(projectId, query.asOf)}
    cross join lateral (
      select max(day) as day from account_daily d
      where d.project_id = ${projectId} and d.account_id = acct.account_id
        and d.day < ${day}::date and d.logins > 0
    ) last_login
    cross join lateral (
      select max(day) as day from account_daily d
      where d.project_id = ${projectId} and d.account_id = acct.account_id
        and d.day < ${day}::date
    ) last_seen
    cross join lateral (
      select min(day) as day from account_daily d
      where d.project_id = ${projectId} and d.account_id = acct.account_id
        and d.day < ${day}::date and d.milestones > 0
    ) first_milestone
    left join lateral (
      select r.score from risk_snapshots r
      where r.project_id = ${projectId} and r.account_id = acct.account_id
        and r.taken_at <= ${trendCutoff}::timestamptz
      order by r.taken_at desc limit 1
    ) previous on true
    order by acct.account_id
  `;
}

/**
 * Point-in-time signals of a project's accounts as of `asOf`, in one statement over the
 * rollups (never raw events). Day counters are read only for complete days before `asOf`'s
 * day, tickets and subscription events only up to `asOf` itself, so an event that arrives for a
 * later time cannot change the answer: that is what keeps backtests honest. Accounts first seen
 * after `asOf` did not exist then and are left out.
 *
 * Windowed counters read one account's range of the `(project_id, account_id, day)` keys;
 * unbounded look-backs (last login, first milestone, subscription state, previous snapshot)
 * are index probes that stop at the first matching row.
 *
 * @example
 * const features = await accountFeatures(db, projectId, { asOf: new Date(), keyFeatures: ['reports'] });
 */
export async function accountFeatures(
  db: Db,
  projectId: string,
  query: FeatureQuery,
): Promise<AccountFeatures[]> {
  const day = utcDay(query.asOf);
  const chunks = await accountChunks(db, projectId, query);
  const results = await Promise.all(
    chunks.map((accountIds) => featureStatement(projectId, { ...query, accountIds }).execute(db)),
  );
  return results.flatMap((result) => result.rows.map((row) => toFeatures(row, day)));
}

/** From this many accounts on, a whole project is read in parallel slices. */
const PARALLEL_FROM = 400;
const SLICES = 4;

/**
 * How to read the features: the requested accounts in one statement, or a whole project of
 * many accounts in consecutive slices of its accounts, one statement each, so that a pool of
 * connections reads them on several cores (a transaction, one connection, reads them in turn).
 * Slices in account order keep the combined rows in account order.
 */
async function accountChunks(
  db: Db,
  projectId: string,
  query: FeatureQuery,
): Promise<Array<string[] | undefined>> {
  if (query.accountIds || db.isTransaction) return [query.accountIds];
  const accounts = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('project_id', '=', projectId)
    .where('first_seen', '<=', query.asOf)
    .orderBy('account_id')
    .execute();
  if (accounts.length < PARALLEL_FROM) return [undefined];
  const size = Math.ceil(accounts.length / SLICES);
  const ids = accounts.map((account) => account.account_id);
  return Array.from({ length: SLICES }, (_, k) => ids.slice(k * size, (k + 1) * size));
}

const n = (value: number | null) => value ?? 0;

function toFeatures(row: FeatureRow, day: string): AccountFeatures {
  return {
    accountId: row.account_id,
    ...termsOf(row, day),
    daysSinceLastLogin: row.last_login_day === null ? null : daysBetween(row.last_login_day, day),
    lastSeenDay: row.last_seen_day,
    logins28: n(row.logins_28),
    loginsPrev28: n(row.logins_prev_28),
    loginDays28: n(row.login_days_28),
    activeUsers28: n(row.active_users_28),
    featureUses28: n(row.feature_uses_28),
    featureUsesPrev28: n(row.feature_uses_prev_28),
    keyFeaturesUsed28: row.key_used_28 ?? [],
    keyFeaturesUsedPrev28: row.key_used_prev_28 ?? [],
    keyFeaturesEverUsed: row.key_ever_used ?? [],
    keyFeatureUses28: n(row.key_uses_28),
    keyFeatureUsesPrev28: n(row.key_uses_prev_28),
    ...ticketsOf(row),
    passwordResets28: n(row.password_resets_28),
    kbViews90: n(row.kb_views_90),
    emailOpens28: n(row.email_opens_28),
    emailClicks28: n(row.email_clicks_28),
    emailOpensPrev28: n(row.email_opens_prev_28),
    emailClicksPrev28: n(row.email_clicks_prev_28),
    milestones90: n(row.milestones_90),
    firstMilestoneDay: row.first_milestone_day,
    previousScore: row.previous_score,
    today: todayOf(row),
  };
}

/** The features of `TermsRow`'s columns, on `day`. */
export function termsOf(row: TermsRow, day: string): AccountTerms {
  const interval = row.billing_interval;
  return {
    name: row.name,
    plan: row.plan,
    mrr: row.mrr,
    seats: row.seats,
    billingInterval: interval === 'month' || interval === 'year' ? interval : null,
    tenureDays: Math.max(0, daysBetween(row.start_day, day)),
    churnedAt: row.churned_at === null ? null : new Date(row.churned_at).toISOString(),
  };
}

/** The features of `TicketRow`'s columns. */
export function ticketsOf(row: TicketRow): AccountTickets {
  return {
    ticketsOpened90: n(row.tickets_opened_90),
    ticketsOpen: n(row.tickets_open),
    ticketsUnsatisfied90: n(row.tickets_unsatisfied_90),
    ticketsWithoutFollowUp90: n(row.tickets_without_follow_up_90),
  };
}
