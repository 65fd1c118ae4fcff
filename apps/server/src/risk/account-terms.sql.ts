import { type RawBuilder, sql } from 'kysely';
import { accountsAsOf } from '../time/accounts-as-of.sql.js';

/**
 * A project's accounts with their terms as they were at `asOf`, for a `from` clause: the
 * accounts' traits then and start day (alias `acct`), joined with each one's latest
 * subscription event (`last_sub`) and latest plan (`plan_sub`). Every point-in-time statement
 * (the factor features, the learned model's snapshots) reads an account's plan, MRR, seats,
 * start and churn from these, through `termColumns`. `where` narrows the accounts (on alias `a`,
 * as for accountsAsOf).
 *
 * @example
 * sql`select acct.account_id, ${termColumns(asOf)} from ${accountsWithTerms(projectId, asOf, sql``)}`
 */
export function accountsWithTerms(
  projectId: string,
  asOf: Date,
  where: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const at = asOf.toISOString();
  return sql`(
      -- Traits as they were at asOf (a later group call must not rename, re-plan or age it).
      select account_id, name, plan, mrr, seats, traits, traits_at,
        (least(first_seen, tenure_timestamptz(traits ->> 'createdAt')) at time zone 'UTC')::date
          as start_day
      from ${accountsAsOf(projectId, asOf, where)} acct_as_of
    ) acct
    left join lateral (
      select s.event, s.timestamp from subscription_events s
      where s.project_id = ${projectId} and s.account_id = acct.account_id
        and s.timestamp <= ${at}::timestamptz
      order by s.timestamp desc limit 1
    ) last_sub on true
    left join lateral (
      select s.plan, s.mrr, s.seats, s.billing_interval from subscription_events s
      where s.project_id = ${projectId} and s.account_id = acct.account_id
        and s.timestamp <= ${at}::timestamptz and s.event <> 'subscription_cancelled'
      order by s.timestamp desc limit 1
    ) plan_sub on true`;
}

/**
 * The terms of `accountsWithTerms`' rows: `start_day` (text), `plan`, `mrr`, `seats`,
 * `billing_interval` (the subscription history's when there is one, else the traits') and
 * `churned_at` (a cancellation, or a churn trait, by `asOf`).
 */
export function termColumns(asOf: Date): RawBuilder<unknown> {
  const at = asOf.toISOString();
  return sql`acct.start_day::text as start_day,
      coalesce(plan_sub.plan, acct.plan) as plan,
      coalesce(plan_sub.mrr, acct.mrr) as mrr,
      coalesce(plan_sub.seats, acct.seats) as seats,
      coalesce(plan_sub.billing_interval, acct.traits ->> 'interval') as billing_interval,
      case
        when last_sub.event = 'subscription_cancelled' then last_sub.timestamp
        when tenure_timestamptz(acct.traits ->> 'churnedAt') <= ${at}::timestamptz
          then tenure_timestamptz(acct.traits ->> 'churnedAt')
        -- A bare status trait carries no date: the latest group call is the best estimate.
        when acct.traits ->> 'status' = 'churned' and acct.traits_at <= ${at}::timestamptz
          then acct.traits_at
      end as churned_at`;
}
