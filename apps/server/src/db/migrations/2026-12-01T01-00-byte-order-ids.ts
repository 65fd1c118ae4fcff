import { type Kysely, sql } from 'kysely';
import * as analyst from './2026-11-22T03-00-analyst.js';

/**
 * Identifier columns, by table. Every column that holds an id (of a project, message, user,
 * account, ticket, webhook, delivery, model) or a feature name.
 */
const ID_COLUMNS: Record<string, string[]> = {
  projects: ['id'],
  api_keys: ['project_id'],
  event_keys: ['project_id', 'message_id'],
  events: ['project_id', 'message_id', 'user_id', 'anonymous_id', 'account_id'],
  accounts: ['project_id', 'account_id'],
  users: ['project_id', 'user_id', 'account_id'],
  account_users: ['project_id', 'account_id', 'user_id'],
  identities: ['project_id', 'anonymous_id', 'user_id'],
  account_daily: ['project_id', 'account_id'],
  user_daily: ['project_id', 'account_id', 'user_id'],
  feature_daily: ['project_id', 'account_id', 'feature', 'user_id'],
  support_tickets: ['project_id', 'ticket_id', 'account_id', 'user_id'],
  subscription_events: ['project_id', 'account_id', 'message_id'],
  account_trait_changes: ['project_id', 'account_id', 'message_id'],
  user_trait_changes: ['project_id', 'user_id', 'message_id'],
  risk_models: ['project_id', 'id'],
  risk_snapshots: ['project_id', 'account_id'],
  webhooks: ['project_id', 'id'],
  alert_states: ['project_id', 'webhook_id', 'account_id'],
  webhook_deliveries: ['project_id', 'id', 'webhook_id', 'account_id'],
  webhook_attempts: ['project_id', 'delivery_id'],
};

/**
 * Ids compare as bytes (collation "C"), whatever the database's locale. They are opaque: a
 * locale's rules mean nothing for them, and cost a great deal. Every key of the ingest path
 * (the dedup ledger, the events' indexes, the rollups) is compared on each write, and under
 * a linguistic collation (ICU `en-US`, libc `en_US.UTF-8`) each comparison goes through the
 * locale library and sorts lose abbreviated keys. `pnpm bench:ingest` on an ICU en-US database
 * measured Postgres CPU per event at 37–41 µs before and 31–35 µs with these columns in "C"
 * (docs/benchmarks.md).
 *
 * Equality is unchanged, so no key or lookup changes meaning; only the order of ids in an
 * `order by` becomes byte order. A collation change needs no table rewrite, but every index
 * on these columns is rebuilt. The analyst views depend on the columns, so they are dropped
 * and made again (with their grants) around the change.
 */
/**
 * Why this migration cannot run once the tables are distributed (db/citus/refused-migrations.ts):
 * it changes `project_id`, and Citus refuses to alter a distribution column.
 */
export const notOnCitus =
  'it changes the collation of project_id, the distribution column, which Citus cannot alter';

export async function up(db: Kysely<unknown>): Promise<void> {
  await setIdCollation(db, 'C');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setIdCollation(db, 'default');
}

async function setIdCollation(db: Kysely<unknown>, collation: 'C' | 'default') {
  await analyst.down(db);
  for (const [table, columns] of Object.entries(ID_COLUMNS)) {
    const changes = columns.map(
      (column) => sql`alter column ${sql.id(column)} type text collate ${sql.id(collation)}`,
    );
    await sql`alter table ${sql.id(table)} ${sql.join(changes)}`.execute(db);
  }
  await analyst.up(db);
}
