import { type Kysely, sql } from 'kysely';

/**
 * The early-warnings feed gets a table of its own. Detection used to record transitions only
 * in the webhook outbox, one delivery per subscribed webhook, so a project without a webhook
 * had no feed at all; now every project's detection records each transition once in
 * `alert_feed`, whatever webhooks exist. The transitions already in the outbox are copied in
 * (the first delivery of each), so the feed keeps its history, and the outbox's indexes for
 * reading it as a feed go.
 *
 * `alert_states.basis` is the scoring basis (settings and model) of the score a state was
 * taken from: a state of another basis is a new baseline, not a transition (a changed cut-off
 * or a newly adopted model moves tiers without any account changing).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table alert_feed (
      project_id text collate "C" not null,
      id text collate "C" not null,
      account_id text collate "C" not null,
      kind text not null,
      -- The transition, as the detector names it: recorded once however often it is detected.
      dedup_key text not null,
      payload jsonb not null,
      detected_at timestamptz not null,
      primary key (project_id, id),
      unique (project_id, dedup_key)
    );
    create index alert_feed_newest on alert_feed (project_id, detected_at desc, id desc);
    create index alert_feed_account
      on alert_feed (project_id, account_id, detected_at desc, id desc);

    insert into alert_feed (project_id, id, account_id, kind, dedup_key, payload, detected_at)
    select distinct on (project_id, dedup_key)
      project_id, id, account_id, kind, dedup_key, payload, created_at
    from webhook_deliveries
    order by project_id, dedup_key, created_at, id;

    -- One index a statement: Citus drops one distributed object per command.
    drop index webhook_deliveries_feed;
    drop index webhook_deliveries_transition;

    alter table alert_states add column basis text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table alert_states drop column basis;
    create index webhook_deliveries_feed
      on webhook_deliveries (project_id, created_at desc, id desc);
    create index webhook_deliveries_transition
      on webhook_deliveries (project_id, account_id, dedup_key);
    drop table alert_feed;
  `.execute(db);
}
