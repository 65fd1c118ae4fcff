import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCitusDatabase } from '../../../test/citus-database.js';
import { trackRecord } from '../../../test/event-records.js';
import { citusLane } from '../../../test/test-database.js';
import { citusWriterStatements } from '../../ingest/citus-writer.sql.js';
import { writeEvents } from '../../ingest/write-events.sql.js';
import { EventPartitions } from '../event-partitions.js';
import { migrateToLatest } from '../migrate.js';
import { migrations } from '../migrations/index.js';
import { type DatabaseHandle, openDatabase } from '../open-database.js';
import { distribute } from './distribute.js';

const at = '2026-11-05T09:00:00.000Z';
const records = (project: string, prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    trackRecord({
      project_id: project,
      message_id: `${prefix}-${i}`,
      timestamp: at,
      user_id: `user-${i % 7}`,
      account_id: `acct-${i % 3}`,
    }),
  );

// biome-ignore lint/suspicious/noExplicitAny: catalog reads.
async function count(db: Kysely<any>, query: ReturnType<typeof sql>) {
  const result = await sql<{ n: string }>`${query}`.execute(db);
  return Number(result.rows[0]?.n);
}

/** Runs only in the Citus lane (`pnpm test:citus`), on the cluster at CITUS_URL. */
describe.skipIf(!citusLane)('tenure citus distribute on a real Citus cluster', () => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    // A database migrated and written to before anyone thought of Citus.
    const created = await createCitusDatabase(process.env.CITUS_URL!, { distributed: false });
    drop = created.drop;
    url = created.url;
    database = await openDatabase({ url: created.url, poolSize: 4 });
    expect((await migrateToLatest(database.db)).error).toBeUndefined();
    await new EventPartitions(database.db).ensureFor([at]);
    expect(await writeEvents(database.db, 'prj_a', records('prj_a', 'm', 40))).toHaveLength(40);
    expect(await writeEvents(database.db, 'prj_b', records('prj_b', 'm', 25))).toHaveLength(25);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('converts a database that holds data, truncating the local copies', async () => {
    const report = await distribute(database.db, { shardCount: 4 });
    expect(report.steps).toContain('event_keys: distributed on project_id');
    expect(report.steps).toContain('projects: reference table');
    const functions = await sql<{ name: string }>`
      select objid::regprocedure::text as name from pg_dist_object
      where classid = 'pg_proc'::regclass order by 1`.execute(database.db);
    expect(functions.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(['tenure_jsonb_merge(jsonb)', 'tenure_timestamptz(text)']),
    );
    expect(report.steps).toContain('events: local copy truncated');
    expect(await count(database.db, sql`select count(*) as n from events`)).toBe(65);
    expect(
      await count(
        database.db,
        sql`select sum(logins) as n from account_daily where project_id = 'prj_a'`,
      ),
    ).toBe(40);
    // The coordinator's own tables are empty: the rows live in the worker's shards only.
    expect(await count(database.db, sql`select pg_relation_size('event_keys') as n`)).toBe(0);
    const colocations = await count(
      database.db,
      sql`select count(distinct colocationid) as n from pg_dist_partition
        where partmethod = 'h' and logicalrelid::text not like 'events_y%'`,
    );
    expect(colocations).toBe(1);
  });

  it('is idempotent: run again, it changes nothing', async () => {
    expect((await distribute(database.db)).steps).toEqual([]);
  });

  it('writes a flush as statements that each run whole on the one shard of its project', async () => {
    // A flush that gives every step rows (traits, a link, a ticket, a subscription, features),
    // with an anonymous page view to resolve.
    const flush = [
      { type: 'identify', event: null, properties: { plan: 'team' }, anonymous_id: 'anon-1' },
      { type: 'group', event: null, properties: { name: 'Acme' } },
      { type: 'alias', event: null, previous_id: 'anon-2' },
      { event: 'support_ticket_opened', properties: { ticketId: 't-1', priority: 'high' } },
      { event: 'subscription_started', properties: { plan: 'team', mrr: 49.5, seats: 3 } },
      { event: 'feature_used', properties: { feature: 'export' } },
      { type: 'page', event: 'Pricing', user_id: null, anonymous_id: 'anon-2', account_id: null },
    ] as const;
    const statements = await citusWriterStatements(
      database.db,
      'prj_a',
      flush.map((fields, i) =>
        trackRecord({ project_id: 'prj_a', message_id: `plan-${i}`, timestamp: at, ...fields }),
      ),
    );
    expect(new Set(statements.map(([step]) => step))).toEqual(
      new Set([
        'new_keys',
        'step_rows',
        'ins',
        'account_days',
        'user_days',
        'feature_days',
        'tickets',
        'subscriptions',
        'account_traits',
        'user_traits',
        'user_rows',
        'account_rows',
        'memberships',
        'links',
      ]),
    );
    const ownShards = await sql<{ shard: string }>`
      select get_shard_id_for_distribution_column(logicalrelid, 'prj_a')::text as shard
      from pg_dist_partition where partmethod = 'h'`.execute(database.db);
    const own = new Set(ownShards.rows.map((row) => row.shard));
    const shards = await sql<{ shard: string }>`
      select shardid::text as shard from pg_dist_shard`.execute(database.db);
    const anyShard = new Set(shards.rows.map((row) => row.shard));
    for (const [step, statement] of statements) {
      const literal = statement.sql.replace(/\$(\d+)/g, (_, n: string) => {
        const value = statement.parameters[Number(n) - 1];
        return value === null ? 'null' : `'${String(value).replace(/'/g, "''")}'`;
      });
      const plan = await sql
        .raw<{ 'QUERY PLAN': string }>(`explain (costs off) ${literal}`)
        .execute(database.db);
      const lines = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      // Router-planned: one task, sent whole; no subplan run first, nothing pulled through
      // the coordinator.
      expect({ step, tasks: [...lines.matchAll(/Task Count: (\d+)/g)].map((m) => m[1]) }).toEqual({
        step,
        tasks: ['1'],
      });
      expect(lines).not.toMatch(/Distributed Subplan|INSERT\/SELECT method|intermediate/i);
      // Shard names end in the shard's id (an alias a plan repeats ends in _1, _2: not a shard).
      const read = [...lines.matchAll(/ on [a-z_]+_(\d+)\b/g)]
        .map((match) => match[1] ?? '')
        .filter((id) => anyShard.has(id));
      expect({ step, foreign: read.filter((shard) => !own.has(shard)) }).toEqual({
        step,
        foreign: [],
      });
    }
  });

  it('writes on Citus exactly once: dedup across resends, rollups equal to raw counts', async () => {
    // A server started after the conversion, as an operator would restart it.
    const restarted = await openDatabase({ url, poolSize: 2 });
    try {
      expect(await writeEvents(restarted.db, 'prj_a', records('prj_a', 'm', 40))).toEqual([]);
      expect(await writeEvents(restarted.db, 'prj_a', records('prj_a', 'n', 10))).toHaveLength(10);
      expect(await writeEvents(restarted.db, 'prj_a', records('prj_a', 'n', 12))).toHaveLength(2);
      expect(await writeEvents(restarted.db, 'prj_c', records('prj_c', 'n', 5))).toHaveLength(5);
    } finally {
      await restarted.close();
    }
    expect(
      await count(
        database.db,
        sql`select sum(logins) as n from account_daily where project_id = 'prj_a'`,
      ),
    ).toBe(52);
    expect(
      await count(database.db, sql`select count(*) as n from events where project_id = 'prj_a'`),
    ).toBe(52);
    expect(
      await count(database.db, sql`select count(*) as n from users where project_id = 'prj_c'`),
    ).toBe(5);
    expect(
      await count(database.db, sql`select count(*) as n from events where project_id = 'prj_c'`),
    ).toBe(5);
  });

  it('places, on migrate, a table of the layout that is not in place', async () => {
    // Taken back to the coordinator, as a table a new migration adds would be.
    await sql`select undistribute_table('webhook_attempts')`.execute(database.db);
    expect((await migrateToLatest(database.db)).error).toBeUndefined();
    expect(
      await count(
        database.db,
        sql`select count(*) as n from pg_dist_partition
          where logicalrelid = 'webhook_attempts'::regclass and partmethod = 'h'`,
      ),
    ).toBe(1);
  });

  it('runs later migrations, and refuses one that Citus cannot run, with the reason', async () => {
    const later = new Migrator({
      db: database.db,
      provider: {
        getMigrations: async () => ({
          ...migrations,
          '2099-01-01T00-00-later': {
            up: async (db) => {
              await sql`alter table accounts add column note text`.execute(db);
              await sql`create index accounts_note on accounts (project_id, note)`.execute(db);
            },
          },
        }),
      },
      migrationTableName: 'tenure_migrations',
      migrationLockTableName: 'tenure_migrations_lock',
    });
    expect((await later.migrateToLatest()).error).toBeUndefined();
    await sql`update accounts set note = 'kept' where project_id = 'prj_b'`.execute(database.db);
    expect(
      await count(database.db, sql`select count(*) as n from accounts where note = 'kept'`),
    ).toBe(3);
    await sql`delete from tenure_migrations where name = '2026-12-01T01-00-byte-order-ids'`.execute(
      database.db,
    );
    const refused = await migrateToLatest(database.db);
    expect(String(refused.error)).toMatch(
      /2026-12-01T01-00-byte-order-ids cannot run on a database distributed by Citus: .*project_id/,
    );
  });
});
