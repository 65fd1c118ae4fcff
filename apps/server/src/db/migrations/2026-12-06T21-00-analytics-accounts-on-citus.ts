import { type Kysely, sql } from 'kysely';

/**
 * `analytics_accounts` as before (2026-12-06T17-00-analytics-accounts-churned), with the churn
 * time computed in the select list of an inner query instead of a lateral subquery without a
 * FROM clause: Citus pushes no such subquery down when it calls a function that is not
 * immutable (now()), so on Citus every read of the view failed. Same columns, in the same
 * order, so `create or replace` keeps the analyst role's grant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace view analytics_accounts as
      select project_id, account_id, name, plan, mrr, seats, first_seen, last_seen,
        case when churned_at is null then score end as risk_score,
        case when churned_at is null then tier end as risk_tier,
        case when churned_at is null then taken_at end as risk_taken_at,
        traits,
        churned_at is not null as churned,
        churned_at
      from (
        select a.project_id, a.account_id, a.name, a.plan, a.mrr, a.seats, a.first_seen,
          a.last_seen, a.traits, r.score, r.tier, r.taken_at,
          case
            when last_sub.event = 'subscription_cancelled' then last_sub.timestamp
            when tenure_timestamptz(a.traits ->> 'churnedAt') <= now()
              then tenure_timestamptz(a.traits ->> 'churnedAt')
            when a.traits ->> 'status' = 'churned' then coalesce(a.traits_at, a.last_seen)
          end as churned_at
        from accounts a
        left join lateral (
          select score, tier, taken_at from risk_snapshots s
          where s.project_id = a.project_id and s.account_id = a.account_id
          order by taken_at desc limit 1
        ) r on true
        left join lateral (
          select s.event, s.timestamp from subscription_events s
          where s.project_id = a.project_id and s.account_id = a.account_id
            and s.timestamp <= now()
          order by s.timestamp desc limit 1
        ) last_sub on true
      ) account
  `.execute(db);
}

export async function down(): Promise<void> {
  // The previous definition is 2026-12-06T17-00-analytics-accounts-churned's; it returns the
  // same rows, so going down leaves this one in place.
}
