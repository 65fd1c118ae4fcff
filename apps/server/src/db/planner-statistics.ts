import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from './database.types.js';

/** How often the embedded database's statistics are checked for tables that have grown. */
const CHECK_MS = 10 * 60_000;

/**
 * Gathers planner statistics (ANALYZE) for the tables that never had them or have grown by
 * more than a fifth (and at least 1 MB) since they last did, and for the partitioned tables
 * of those, and returns their names. A
 * Postgres server's autovacuum does this by itself; PGlite has no autovacuum, so on the
 * embedded database nothing else ever analyzes and the planner works from guesses (one row
 * per events partition). On the demo that sent one account's support tickets (`GET
 * /v1/events?accountId&event`, the account page) through the primary key of every partition,
 * filtering 200,000 rows: 924 ms; after ANALYZE the account index and 5.6 ms
 * (docs/benchmarks.md, workspace pages). Growth is read from each table's size on disk against
 * the page count its last ANALYZE recorded (`pg_class.relpages`), so whatever wrote the rows
 * (the server, `tenure import` or `tenure seed`) counts. ANALYZE samples a bounded number of
 * rows per table: seconds on the demo's data.
 */
export async function analyzeGrownTables(db: Db): Promise<string[]> {
  // The partitioned parents of grown partitions too: the planner reads the parent's
  // statistics for the table as a whole, and nothing gathers them otherwise (not even
  // autovacuum).
  const grown = await sql<{ name: string }>`
    with grown as (
      select c.oid, c.relname
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      cross join lateral (
        select pg_relation_size(c.oid) / current_setting('block_size')::int as pages
      ) size
      where n.nspname = current_schema() and c.relkind = 'r'
        and ((c.reltuples < 0 and size.pages > 0)
          or size.pages > greatest(c.relpages * 1.2, c.relpages + 128))
    )
    select relname as name from grown
    union
    select parent.relname
    from grown
    join pg_inherits i on i.inhrelid = grown.oid
    join pg_class parent on parent.oid = i.inhparent and parent.relkind = 'p'
    order by name
  `.execute(db);
  const names = grown.rows.map((row) => row.name);
  if (names.length > 0) {
    await sql`analyze ${sql.join(names.map((name) => sql.id(name)))}`.execute(db);
  }
  return names;
}

/**
 * On the embedded database only: statistics checked at start and every 10 minutes
 * (`analyzeGrownTables`), so plans follow the data as it grows by ingestion or import.
 */
export function registerPlannerStatisticsJob(app: FastifyInstance): void {
  const { db, engine, scheduler, config } = app.services;
  if (engine !== 'pglite') return;
  scheduler.add({
    name: 'planner-statistics',
    intervalMs: config.TENURE_JOBS_INTERVAL_MINUTES > 0 ? CHECK_MS : 0,
    run: async () => {
      const analyzed = await analyzeGrownTables(db);
      if (analyzed.length > 0) app.log.info({ tables: analyzed }, 'gathered planner statistics');
    },
  });
  app.addHook('onReady', async () => {
    if (config.TENURE_JOBS_INTERVAL_MINUTES > 0) void scheduler.runNow('planner-statistics');
  });
}
