import { type Kysely, sql } from 'kysely';

/** Tables an analyst may read: everything but keys and project settings. */
const READABLE_TABLES = [
  'events',
  'accounts',
  'users',
  'account_users',
  'identities',
  'account_daily',
  'user_daily',
  'feature_daily',
  'support_tickets',
  'subscription_events',
  'risk_snapshots',
];

const VIEWS = [
  'analytics_events',
  'analytics_accounts',
  'analytics_users',
  'analytics_account_activity',
  'analytics_feature_usage',
];

/**
 * Analyst access (docs/sql.md): views that present events, accounts, users and daily activity
 * in a flat, query-friendly shape, and a read-only role `tenure_analyst` (NOLOGIN: grant it to
 * a login role). Creating the role needs CREATEROLE; where the migrating user lacks it (or the
 * engine has no roles to speak of) the views are still created and the role is skipped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create view analytics_events as
      select project_id, timestamp, (timestamp at time zone 'UTC')::date as day, message_id,
        type, event, user_id, anonymous_id, account_id,
        properties ->> 'feature' as feature, properties, context, received_at
      from events;

    create view analytics_accounts as
      select a.project_id, a.account_id, a.name, a.plan, a.mrr, a.seats, a.first_seen,
        a.last_seen, r.score as risk_score, r.tier as risk_tier, r.taken_at as risk_taken_at,
        a.traits
      from accounts a
      left join lateral (
        select score, tier, taken_at from risk_snapshots s
        where s.project_id = a.project_id and s.account_id = a.account_id
        order by taken_at desc limit 1
      ) r on true;

    create view analytics_users as
      select project_id, user_id, account_id, traits ->> 'email' as email,
        traits ->> 'name' as name, first_seen, last_seen, traits
      from users;

    create view analytics_account_activity as
      select d.project_id, d.account_id, a.name as account_name, a.plan, d.day, d.events,
        d.logins, d.feature_uses, d.page_views, d.tickets_opened, d.tickets_resolved,
        d.tickets_unsatisfied, d.password_resets, d.kb_views, d.email_opens, d.email_clicks,
        d.content_views, d.milestones,
        (select count(distinct u.user_id) from user_daily u
          where u.project_id = d.project_id and u.account_id = d.account_id and u.day = d.day
            and (u.logins > 0 or u.feature_uses > 0 or u.page_views > 0)) as active_users
      from account_daily d
      left join accounts a on a.project_id = d.project_id and a.account_id = d.account_id;

    create view analytics_feature_usage as
      select project_id, account_id, feature, day, sum(uses) as uses,
        count(distinct user_id) filter (where user_id <> '') as users
      from feature_daily
      group by project_id, account_id, feature, day;

    do $$
    begin
      -- Roles are per server: another database on it may create the role at the same moment.
      begin
        create role tenure_analyst nologin;
      exception when duplicate_object or unique_violation then
        null;
      end;
      grant usage on schema public to tenure_analyst;
      grant select on ${sql.raw([...READABLE_TABLES, ...VIEWS].join(', '))} to tenure_analyst;
    exception when insufficient_privilege then
      raise notice 'tenure_analyst role not set up: %', sqlerrm;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'tenure_analyst') then
        revoke select on ${sql.raw([...READABLE_TABLES, ...VIEWS].join(', '))} from tenure_analyst;
        revoke usage on schema public from tenure_analyst;
      end if;
    exception when insufficient_privilege then
      raise notice 'tenure_analyst role left as is: %', sqlerrm;
    end $$;
    drop view ${sql.raw(VIEWS.join(', '))};
  `.execute(db);
}
