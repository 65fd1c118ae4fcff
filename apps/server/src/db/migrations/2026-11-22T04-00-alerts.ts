import { type Kysely, sql } from 'kysely';

/**
 * Early-warning webhooks. `alert_states` holds what each webhook last saw of each account, so
 * a transition is noticed once; `webhook_deliveries` is the outbox (one row per notification
 * and webhook, unique on the transition's key); `webhook_attempts` records every try.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhooks (
      project_id text not null,
      id text not null,
      url text not null,
      triggers text[] not null,
      score_increase integer not null default 10,
      format text not null default 'json' check (format in ('json', 'slack')),
      secret text not null,
      created_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (project_id, id)
    );

    create table alert_states (
      project_id text not null,
      webhook_id text not null,
      account_id text not null,
      tier text not null,
      -- The score the next "rose by N points" is measured from: the last notified score, or
      -- the lowest since.
      score_base real not null,
      inactive boolean not null,
      -- Milestones after this time have not been notified yet.
      milestones_after timestamptz not null,
      evaluated_at timestamptz not null,
      primary key (project_id, webhook_id, account_id)
    );

    create table webhook_deliveries (
      project_id text not null,
      id text not null,
      webhook_id text not null,
      account_id text not null,
      kind text not null,
      -- The transition: the same transition is enqueued once, however often it is detected.
      dedup_key text not null,
      payload jsonb not null,
      status text not null default 'pending'
        check (status in ('pending', 'delivered', 'failed', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      -- A worker holds a delivery until then while it sends; a crashed worker's lease expires.
      lease_until timestamptz,
      delivered_at timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      primary key (project_id, id),
      unique (project_id, webhook_id, dedup_key)
    );
    create index webhook_deliveries_due on webhook_deliveries (project_id, next_attempt_at)
      where status = 'pending';
    create index webhook_deliveries_webhook on webhook_deliveries (project_id, webhook_id, created_at);

    create table webhook_attempts (
      project_id text not null,
      delivery_id text not null,
      attempt integer not null,
      attempted_at timestamptz not null,
      status_code integer,
      error text,
      duration_ms integer not null,
      primary key (project_id, delivery_id, attempt)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table webhook_attempts, webhook_deliveries, alert_states, webhooks`.execute(db);
}
