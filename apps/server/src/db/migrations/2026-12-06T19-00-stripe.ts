import { type Kysely, sql } from 'kysely';

/**
 * Stripe: per-project settings (the webhook endpoint secret, how a customer maps to an
 * account), the customers seen (their account), each subscription's last applied state (so a
 * late, older delivery does not roll it back), and the Stripe events already handled. Ids
 * compare as bytes (collation "C"), like every other id column (2026-12-01T01-00-byte-order-ids),
 * which also lets Citus co-locate these tables on project_id (the layout distributes them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stripe_settings (
      project_id text collate "C" not null primary key,
      endpoint_secret text,
      account_from text not null default 'metadata' check (account_from in ('metadata', 'customer')),
      metadata_key text not null default 'tenure_account_id',
      updated_at timestamptz not null default now()
    );

    create table stripe_customers (
      project_id text collate "C" not null,
      customer_id text collate "C" not null,
      account_id text collate "C" not null,
      primary key (project_id, customer_id)
    );

    create table stripe_subscriptions (
      project_id text collate "C" not null,
      subscription_id text collate "C" not null,
      account_id text collate "C" not null,
      -- The applied state (plan, MRR, seats, interval, status, notice) as JSON.
      state jsonb not null,
      -- Stripe's time of the event (or listing) the state is from, in seconds: older loses.
      version bigint not null,
      primary key (project_id, subscription_id)
    );

    create table stripe_events (
      project_id text collate "C" not null,
      event_id text collate "C" not null,
      handled_at timestamptz not null default now(),
      primary key (project_id, event_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table stripe_events;
    drop table stripe_subscriptions;
    drop table stripe_customers;
    drop table stripe_settings;
  `.execute(db);
}
