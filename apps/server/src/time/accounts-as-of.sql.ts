import { type RawBuilder, sql } from 'kysely';

/**
 * A project's accounts with their traits as they were at `asOf`, as a derived table with the
 * columns of `accounts` that answers read: `account_id, traits, traits_at, name, plan, mrr,
 * seats, first_seen, last_seen`. `where` narrows it (on alias `a`, e.g. `and a.account_id = …`).
 *
 * The traits as of T are the time-ordered merge (later keys win) of the account's
 * `account_trait_changes` at or before T. An account whose latest group call is not after T
 * already holds that merge in `accounts` (exactly, unless a call older than two others arrived
 * after both: `accounts` then lets the newest win but not the middle one), so it is read as
 * is, and "now" answers agree with `accounts` everywhere else. The history is probed
 * only for accounts with a later call (the `a.traits_at > asOf` condition is a one-time filter
 * of the lateral, evaluated before its index scan). Scoring "now" therefore costs nothing extra,
 * and a backtest pays one index range per account that changed since. `mrr` and `seats` use the
 * same safe casts as the generated columns of `accounts`.
 *
 * @example
 * sql`select a.plan from ${accountsAsOf(projectId, asOf, sql`and a.account_id = ${id}`)} a`
 */
export function accountsAsOf(
  projectId: string,
  asOf: Date,
  where: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  const at = asOf.toISOString();
  const later = sql`a.traits_at > ${at}::timestamptz`;
  return sql`(
    select a.account_id, a.first_seen, a.last_seen,
      case when ${later} then coalesce(h.traits, '{}') else a.traits end as traits,
      case when ${later} then h.traits_at else a.traits_at end as traits_at,
      case when ${later} then h.traits ->> 'name' else a.name end as name,
      case when ${later} then h.traits ->> 'plan' else a.plan end as plan,
      case when ${later} then tenure_numeric(h.traits ->> 'mrr') else a.mrr end as mrr,
      case when ${later} then tenure_integer(h.traits ->> 'seats') else a.seats end as seats
    from accounts a
    left join lateral (
      select tenure_jsonb_merge(c.traits order by c.timestamp, c.message_id) as traits,
        max(c.timestamp) as traits_at
      from account_trait_changes c
      where c.project_id = ${projectId} and c.account_id = a.account_id
        and c.timestamp <= ${at}::timestamptz and ${later}
    ) h on true
    where a.project_id = ${projectId} ${where}
  )`;
}
