import { type Kysely, sql } from 'kysely';

/**
 * `analytics_accounts` gains `churned` and `churned_at`, and shows no risk score for a churned
 * account: its last snapshot was taken while it was a customer and reads as current when it is
 * not. Churned as the risk model sees it: the latest subscription event is a cancellation, or
 * a `churnedAt` trait in the past, or a `status: churned` trait (dated by its group call).
 * New columns go last, so `create or replace` keeps the analyst role's grant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace view analytics_accounts as
      select a.project_id, a.account_id, a.name, a.plan, a.mrr, a.seats, a.first_seen,
        a.last_seen,
        case when c.churned_at is null then r.score end as risk_score,
        case when c.churned_at is null then r.tier end as risk_tier,
        case when c.churned_at is null then r.taken_at end as risk_taken_at,
        a.traits,
        c.churned_at is not null as churned,
        c.churned_at
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
      cross join lateral (
        select case
          when last_sub.event = 'subscription_cancelled' then last_sub.timestamp
          when tenure_timestamptz(a.traits ->> 'churnedAt') <= now()
            then tenure_timestamptz(a.traits ->> 'churnedAt')
          when a.traits ->> 'status' = 'churned' then coalesce(a.traits_at, a.last_seen)
        end as churned_at
      ) c
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view analytics_accounts`.execute(db);
  await sql`
    create view analytics_accounts as
      select a.project_id, a.account_id, a.name, a.plan, a.mrr, a.seats, a.first_seen,
        a.last_seen, r.score as risk_score, r.tier as risk_tier, r.taken_at as risk_taken_at,
        a.traits
      from accounts a
      left join lateral (
        select score, tier, taken_at from risk_snapshots s
        where s.project_id = a.project_id and s.account_id = a.account_id
        order by taken_at desc limit 1
      ) r on true
  `.execute(db);
  await sql`
    do $$ begin
      grant select on analytics_accounts to tenure_analyst;
    exception when undefined_object then null;
    end $$
  `.execute(db);
}
