import { type Kysely, sql } from 'kysely';

/**
 * Whether this database has Tenure's tables distributed by Citus (`tenure citus distribute`
 * ran). False on plain Postgres and PGlite, where Citus's catalog does not exist.
 */
// biome-ignore lint/suspicious/noExplicitAny: asked before and after migrations, of any schema.
export async function isDistributed(db: Kysely<any>): Promise<boolean> {
  const catalog = await sql<{ found: boolean }>`
    select to_regclass('pg_catalog.pg_dist_partition') is not null as found`.execute(db);
  if (!catalog.rows[0]?.found) return false;
  const result = await sql<{ distributed: boolean }>`
    select exists (select 1 from pg_dist_partition
      where logicalrelid = to_regclass('public.event_keys')) as distributed`.execute(db);
  return result.rows[0]?.distributed ?? false;
}
