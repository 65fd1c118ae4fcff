import { type Kysely, sql } from 'kysely';

/**
 * The early-warnings feed (`GET /v1/alerts`) reads the outbox newest first across webhooks,
 * keeping one delivery per transition: `webhook_deliveries_feed` is that order, so a page is
 * one index range; `webhook_deliveries_transition` finds the other webhooks' copies of a
 * transition (same account and key) without reading each webhook's deliveries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index webhook_deliveries_feed
      on webhook_deliveries (project_id, created_at desc, id desc);
    create index webhook_deliveries_transition
      on webhook_deliveries (project_id, account_id, dedup_key);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index webhook_deliveries_feed, webhook_deliveries_transition`.execute(db);
}
