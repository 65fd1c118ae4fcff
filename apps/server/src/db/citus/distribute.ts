import { type Kysely, sql } from 'kysely';
import { CITUS_LAYOUT, COLOCATION_ANCHOR, DISTRIBUTION_COLUMN } from './citus-layout.js';

export interface DistributeOptions {
  /** Shards per distributed table for tables distributed now (Citus's default is 32). */
  shardCount?: number | undefined;
}

export interface DistributeReport {
  /** What was done, one line each; empty when the layout was already in place. */
  steps: string[];
}

/** Refused before anything changes: the cluster cannot take the layout. */
export class CitusSetupError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: the layout is applied to any schema.
type AnyDb = Kysely<any>;

/**
 * Applies CITUS_LAYOUT to a migrated database on a Citus coordinator: the functions on every
 * node, the reference tables, then the distributed tables co-located on `project_id`. Each step
 * is skipped when already done, so running it again (after a migration that added a table, or
 * after an interrupted run) finishes the job and changes nothing else.
 *
 * A database that already holds data is converted: Citus copies each table's rows into its
 * shards, and the local copies left behind on the coordinator are truncated, as Citus asks
 * (they are no longer read, only stored twice).
 */
export async function distribute(
  db: AnyDb,
  options: DistributeOptions = {},
): Promise<DistributeReport> {
  // One session: `citus.shard_count` must hold for every create_distributed_table call.
  return db.connection().execute(async (conn) => {
    await checkCluster(conn);
    const steps: string[] = [];
    if (options.shardCount) {
      await sql`select set_config('citus.shard_count', ${String(options.shardCount)}, false)`.execute(
        conn,
      );
    }
    for (const signature of CITUS_LAYOUT.functions) {
      const known = await sql<{ found: boolean }>`
        select exists (select 1 from pg_dist_object
          where classid = 'pg_proc'::regclass and objid = ${signature}::regprocedure) as found`.execute(
        conn,
      );
      if (known.rows[0]?.found) continue;
      await sql`select create_distributed_function(${signature})`.execute(conn);
      steps.push(`function ${signature} created on every node`);
    }
    const placed = await placedTables(conn);
    const converted: string[] = [];
    for (const table of CITUS_LAYOUT.reference) {
      if (placed.has(table)) continue;
      await sql`select create_reference_table(${table})`.execute(conn);
      steps.push(`${table}: reference table`);
      converted.push(table);
    }
    for (const table of CITUS_LAYOUT.distributed) {
      if (placed.has(table)) continue;
      const colocateWith = table === COLOCATION_ANCHOR ? 'default' : COLOCATION_ANCHOR;
      await sql`select create_distributed_table(${table}, ${DISTRIBUTION_COLUMN},
        colocate_with => ${colocateWith})`.execute(conn);
      steps.push(`${table}: distributed on ${DISTRIBUTION_COLUMN}`);
      converted.push(table);
    }
    for (const table of converted) {
      if (await truncateLocalCopy(conn, table)) steps.push(`${table}: local copy truncated`);
    }
    return { steps };
  });
}

async function checkCluster(conn: AnyDb) {
  const extension = await sql<{ found: boolean }>`
    select exists (select 1 from pg_extension where extname = 'citus') as found`.execute(conn);
  if (!extension.rows[0]?.found) {
    const available = await sql<{ found: boolean }>`
      select exists (select 1 from pg_available_extensions where name = 'citus') as found`.execute(
      conn,
    );
    if (!available.rows[0]?.found) {
      throw new CitusSetupError(
        'This server has no Citus extension: install Citus and add it to shared_preload_libraries.',
      );
    }
    await sql`create extension citus`.execute(conn);
  }
  const workers = await sql<{ count: string }>`
    select count(*) as count from pg_dist_node
    where noderole = 'primary' and isactive and groupid <> 0`.execute(conn);
  if (Number(workers.rows[0]?.count ?? 0) === 0) {
    throw new CitusSetupError(
      'The coordinator has no active worker: add them first with ' +
        "select citus_set_coordinator_host('<coordinator host>', <port>); " +
        "select citus_add_node('<worker host>', <port>);",
    );
  }
  const missing = await sql<{ name: string }>`
    select t.name from unnest(${[...CITUS_LAYOUT.reference, ...CITUS_LAYOUT.distributed]}::text[])
      as t(name)
    where to_regclass('public.' || t.name) is null`.execute(conn);
  if (missing.rows.length > 0) {
    throw new CitusSetupError(
      `The schema is not migrated (missing: ${missing.rows.map((row) => row.name).join(', ')}): ` +
        'run `tenure migrate` first.',
    );
  }
}

async function placedTables(conn: AnyDb): Promise<Set<string>> {
  const result = await sql<{ name: string }>`
    select c.relname as name from pg_dist_partition p
    join pg_class c on c.oid = p.logicalrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public'`.execute(conn);
  return new Set(result.rows.map((row) => row.name));
}

/**
 * After distributing a table that held rows, Citus keeps them in the coordinator's local table
 * too (it reads the shards only). Returns whether there was a local copy to truncate.
 */
async function truncateLocalCopy(conn: AnyDb, table: string): Promise<boolean> {
  const local = await sql<{ found: boolean }>`
    select exists (
      select 1 from pg_class c
      where c.oid = ${`public.${table}`}::regclass and (
        c.reltuples > 0 or pg_relation_size(c.oid) > 0
        or exists (select 1 from pg_inherits i
          where i.inhparent = c.oid and pg_relation_size(i.inhrelid) > 0))
    ) as found`.execute(conn);
  if (!local.rows[0]?.found) return false;
  await sql`select truncate_local_data_after_distributing_table(${`public.${table}`})`.execute(
    conn,
  );
  return true;
}
