import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DatabaseHandle } from '../src/db/open-database.js';
import { engines, openTestDatabase } from './test-database.js';

// Small shared tables that Citus would hold as reference tables on every node.
const REFERENCE_TABLES = new Set([
  'projects',
  'api_keys',
  // The workspace's people: a person belongs to several projects (docs/workspace.md).
  'dashboard_users',
  'dashboard_memberships',
  'dashboard_sessions',
  'tenure_migrations',
  'tenure_migrations_lock',
]);

/**
 * The scale path (docs/operations.md, Citus) needs every table keyed by project_id first.
 * This holds for tables added by any migration, including future ones.
 */
describe.each(engines)('schema invariants on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const result = await migrateToLatest(database.db);
    expect(result.error).toBeUndefined();
  });
  afterAll(() => database.close());

  it('keys every table by project_id first', async () => {
    const keys = await sql<{ table_name: string; first_column: string | null }>`
      select c.relname as table_name,
        (select a.attname from pg_index i
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = c.oid and i.indisprimary) as first_column
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`.execute(
      database.db,
    );
    const offenders = keys.rows
      .filter((row) => !REFERENCE_TABLES.has(row.table_name) && row.first_column !== 'project_id')
      .map((row) => `${row.table_name} (${row.first_column ?? 'no primary key'})`);
    expect(offenders).toEqual([]);
    expect(keys.rows.length).toBeGreaterThan(10);
  });

  it('compares every id column as bytes, whatever the database locale', async () => {
    const columns = await sql<{ column: string; collation: string | null }>`
      select c.relname || '.' || a.attname as column, co.collname as collation
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_collation co on co.oid = a.attcollation
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and a.atttypid = 'text'::regtype and a.attnum > 0 and not a.attisdropped
        and (a.attname = 'id' or a.attname like '%\_id' or a.attname = 'feature')`.execute(
      database.db,
    );
    const offenders = columns.rows.filter((row) => row.collation !== 'C').map((row) => row.column);
    expect(offenders).toEqual([]);
    expect(columns.rows.map((row) => row.column)).toContain('event_keys.message_id');
  });

  it('partitions events by month', async () => {
    const partitioned = await sql<{ strategy: string }>`
      select partstrat as strategy from pg_partitioned_table where partrelid = 'events'::regclass`.execute(
      database.db,
    );
    expect(partitioned.rows).toEqual([{ strategy: 'r' }]);
  });
});
