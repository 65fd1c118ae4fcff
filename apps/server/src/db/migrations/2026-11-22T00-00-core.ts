import { type Kysely, sql } from 'kysely';

/**
 * The core store. Every table is keyed by `project_id` first so that it can be distributed on
 * it with Citus (see docs/operations.md). Rollups are maintained by the ingest writer in the
 * same transaction as the events they count (see ingest/write-events.sql.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Safe casts for values taken from free-form traits: a non-number plan price must not
    -- fail an insert (bad input never produces a 500).
    create or replace function tenure_numeric(value text) returns numeric
      language plpgsql immutable as $$
      begin
        return value::numeric;
      exception when others then
        return null;
      end $$;

    create or replace function tenure_integer(value text) returns integer
      language plpgsql immutable as $$
      begin
        return value::numeric::integer;
      exception when others then
        return null;
      end $$;

    create or replace function tenure_timestamptz(value text) returns timestamptz
      language plpgsql stable as $$
      begin
        return value::timestamptz;
      exception when others then
        return null;
      end $$;

    -- Merges objects in aggregate order: later keys win, like Segment's trait semantics.
    create aggregate tenure_jsonb_merge(jsonb) (sfunc = jsonb_concat, stype = jsonb, initcond = '{}');

    create table projects (
      id text primary key,
      name text not null,
      settings jsonb not null default '{}',
      allowed_origins text[] not null default '{*}',
      created_at timestamptz not null default now()
    );

    -- Keys are stored as SHA-256 hashes: they are random 190-bit tokens, so a fast hash is
    -- enough, and a leaked table does not leak usable keys.
    create table api_keys (
      key_hash text primary key,
      project_id text not null references projects (id),
      kind text not null check (kind in ('write', 'secret')),
      prefix text not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );
    create index api_keys_project on api_keys (project_id);

    -- Dedup ledger: one row per (project, messageId) ever accepted. Kept apart from events
    -- because a unique key on the partitioned events table must include the timestamp, and a
    -- retry without a client timestamp gets a new server timestamp.
    create table event_keys (
      project_id text not null,
      message_id text not null,
      primary key (project_id, message_id)
    );

    create table events (
      project_id text not null,
      timestamp timestamptz not null,
      message_id text not null,
      type text not null,
      event text,
      user_id text,
      anonymous_id text,
      account_id text,
      properties jsonb not null default '{}',
      context jsonb not null default '{}',
      integrations jsonb,
      original_timestamp timestamptz,
      sent_at timestamptz,
      received_at timestamptz not null,
      primary key (project_id, timestamp, message_id)
    ) partition by range (timestamp);
    create index events_account on events (project_id, account_id, timestamp);
    create index events_user on events (project_id, user_id, timestamp);

    create table accounts (
      project_id text not null,
      account_id text not null,
      traits jsonb not null default '{}',
      traits_at timestamptz,
      name text generated always as (traits ->> 'name') stored,
      plan text generated always as (traits ->> 'plan') stored,
      mrr numeric generated always as (tenure_numeric(traits ->> 'mrr')) stored,
      seats integer generated always as (tenure_integer(traits ->> 'seats')) stored,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      primary key (project_id, account_id)
    );

    create table users (
      project_id text not null,
      user_id text not null,
      traits jsonb not null default '{}',
      traits_at timestamptz,
      account_id text,
      account_at timestamptz,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      primary key (project_id, user_id)
    );

    create table account_users (
      project_id text not null,
      account_id text not null,
      user_id text not null,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      primary key (project_id, account_id, user_id)
    );

    -- anonymousId (and alias previousId) to userId.
    create table identities (
      project_id text not null,
      anonymous_id text not null,
      user_id text not null,
      linked_at timestamptz not null,
      primary key (project_id, anonymous_id)
    );

    create table account_daily (
      project_id text not null,
      account_id text not null,
      day date not null,
      events integer not null default 0,
      logins integer not null default 0,
      feature_uses integer not null default 0,
      tickets_opened integer not null default 0,
      tickets_resolved integer not null default 0,
      tickets_unsatisfied integer not null default 0,
      password_resets integer not null default 0,
      kb_views integer not null default 0,
      email_opens integer not null default 0,
      email_clicks integer not null default 0,
      content_views integer not null default 0,
      milestones integer not null default 0,
      page_views integer not null default 0,
      primary key (project_id, account_id, day)
    );

    -- Same counters per user; account_id is '' for activity outside any account.
    create table user_daily (
      project_id text not null,
      account_id text not null,
      day date not null,
      user_id text not null,
      events integer not null default 0,
      logins integer not null default 0,
      feature_uses integer not null default 0,
      tickets_opened integer not null default 0,
      tickets_resolved integer not null default 0,
      tickets_unsatisfied integer not null default 0,
      password_resets integer not null default 0,
      kb_views integer not null default 0,
      email_opens integer not null default 0,
      email_clicks integer not null default 0,
      content_views integer not null default 0,
      milestones integer not null default 0,
      page_views integer not null default 0,
      primary key (project_id, account_id, day, user_id)
    );
    create index user_daily_user on user_daily (project_id, user_id, day);

    create table feature_daily (
      project_id text not null,
      account_id text not null,
      feature text not null,
      day date not null,
      user_id text not null,
      uses integer not null default 0,
      primary key (project_id, account_id, feature, day, user_id)
    );

    create table support_tickets (
      project_id text not null,
      ticket_id text not null,
      account_id text,
      user_id text,
      priority text,
      opened_at timestamptz,
      resolved_at timestamptz,
      satisfied boolean,
      primary key (project_id, ticket_id)
    );
    create index support_tickets_account on support_tickets (project_id, account_id);

    -- The revenue lifecycle, one row per subscription_* event: churn arithmetic reads this
    -- small table, never the raw events.
    create table subscription_events (
      project_id text not null,
      account_id text not null,
      timestamp timestamptz not null,
      message_id text not null,
      event text not null,
      plan text,
      mrr numeric,
      seats integer,
      billing_interval text,
      ends_at timestamptz,
      reason text,
      feedback text,
      primary key (project_id, account_id, timestamp, message_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table subscription_events, support_tickets, feature_daily, user_daily, account_daily,
      identities, account_users, users, accounts, events, event_keys, api_keys, projects;
    drop aggregate tenure_jsonb_merge(jsonb);
    drop function tenure_timestamptz(text);
    drop function tenure_integer(text);
    drop function tenure_numeric(text);
  `.execute(db);
}
