import { type Kysely, sql } from 'kysely';
import { CITUS_LAYOUT, DISTRIBUTION_COLUMN } from './citus-layout.js';

const distributed = new Set<string>(CITUS_LAYOUT.distributed);
const reference = new Set<string>(CITUS_LAYOUT.reference);
const placed = new Set<string>([...distributed, ...reference, ...CITUS_LAYOUT.local]);

/**
 * What in a migrated schema would stop CITUS_LAYOUT from holding, read from the catalog of any
 * Postgres (PGlite too), one line per problem:
 * - a table in no list of the layout (it would stay local to the coordinator);
 * - a distributed table without the distribution column;
 * - a primary key or unique index of a distributed table that does not start with
 *   `project_id` (Citus enforces uniqueness per shard only, so it must include the
 *   distribution column; first, so that one project's range is one index range);
 * - a foreign key Citus forbids: from a reference table to a distributed one, to or from a
 *   local table, or between distributed tables other than on `project_id` first.
 */
// biome-ignore lint/suspicious/noExplicitAny: read from any schema.
export async function layoutViolations(db: Kysely<any>): Promise<string[]> {
  const problems: string[] = [];
  const tables = await sql<{ name: string; has_column: boolean }>`
    select c.relname as name, exists (select 1 from pg_attribute a
      where a.attrelid = c.oid and a.attname = ${DISTRIBUTION_COLUMN} and not a.attisdropped)
      as has_column
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by 1`.execute(db);
  for (const table of tables.rows) {
    if (!placed.has(table.name)) problems.push(`${table.name}: in no list of CITUS_LAYOUT`);
    if (distributed.has(table.name) && !table.has_column) {
      problems.push(`${table.name}: distributed but has no ${DISTRIBUTION_COLUMN}`);
    }
  }
  const keys = await sql<{ table: string; index: string; first: string }>`
    select t.relname as table, i.relname as index, a.attname as first
    from pg_index x
    join pg_class t on t.oid = x.indrelid
    join pg_class i on i.oid = x.indexrelid
    join pg_namespace n on n.oid = t.relnamespace
    left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
    where n.nspname = 'public' and x.indisunique and not t.relispartition
    order by 1, 2`.execute(db);
  for (const key of keys.rows) {
    if (distributed.has(key.table) && key.first !== DISTRIBUTION_COLUMN) {
      problems.push(`${key.table}: unique key ${key.index} does not start with project_id`);
    }
  }
  const foreignKeys = await sql<{ name: string; from: string; to: string; first: string }>`
    select k.conname as name, f.relname as from, t.relname as to, a.attname as first
    from pg_constraint k
    join pg_class f on f.oid = k.conrelid
    join pg_class t on t.oid = k.confrelid
    join pg_namespace n on n.oid = f.relnamespace
    left join pg_attribute a on a.attrelid = f.oid and a.attnum = k.conkey[1]
    where k.contype = 'f' and n.nspname = 'public' and not f.relispartition
    order by 1`.execute(db);
  for (const key of foreignKeys.rows) {
    const allowed =
      (reference.has(key.to) && (reference.has(key.from) || distributed.has(key.from))) ||
      (distributed.has(key.from) && distributed.has(key.to) && key.first === DISTRIBUTION_COLUMN);
    if (!allowed) problems.push(`${key.from}: foreign key ${key.name} to ${key.to} is forbidden`);
  }
  return problems;
}
