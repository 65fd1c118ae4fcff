import { sql } from 'kysely';
import type { Db } from './database.types.js';

/**
 * Gathers planner statistics (ANALYZE) when the events table has none yet, and says whether it
 * did. A Postgres server's autovacuum does this by itself; PGlite has no autovacuum, so on the
 * embedded database nothing ever analyzes and the planner works from default guesses (one row
 * per events partition). On the demo that sent one account's support tickets (`GET
 * /v1/events?accountId&event`, the account page) through the primary key of every partition,
 * filtering 200,000 rows: 924 ms; after ANALYZE the account index and 5.6 ms
 * (docs/benchmarks.md, workspace pages). ANALYZE samples a bounded number of rows per table:
 * it made one demo start 9.2 s instead of 4.5 s on a loaded 2-core machine, once.
 */
export async function analyzeIfNeverAnalyzed(db: Db): Promise<boolean> {
  const analyzed = await sql<{ found: number }>`
    select 1 as found from pg_stats
    where schemaname = current_schema() and tablename = 'events' limit 1
  `.execute(db);
  if (analyzed.rows.length > 0) return false;
  await sql`analyze`.execute(db);
  return true;
}
