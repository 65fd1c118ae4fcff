import { type Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackRecord } from '../../../test/event-records.js';
import { citusLane, engines, openTestDatabase } from '../../../test/test-database.js';
import { writeEvents } from '../../ingest/write-events.sql.js';
import { EventPartitions } from '../event-partitions.js';
import { migratorFor } from '../migrate.js';
import type { DatabaseHandle } from '../open-database.js';

const timestamp = '2026-10-05T09:00:00.000Z';

// Ids that order differently by bytes and by a linguistic collation.
const record = (messageId: string, accountId: string) =>
  trackRecord({
    message_id: messageId,
    timestamp,
    user_id: `user-${accountId}`,
    account_id: accountId,
    context: { groupId: accountId },
  });
const records = [record('m-1', 'acme'), record('m-2', 'Acme'), record('m-3', 'Émile')];

const collationOf = async (database: DatabaseHandle, table: string, column: string) => {
  const result = await sql<{ collation: string }>`
    select co.collname as collation from pg_attribute a
    join pg_collation co on co.oid = a.attcollation
    where a.attrelid = ${table}::regclass and a.attname = ${column}`.execute(database.db);
  return result.rows[0]?.collation;
};

describe.skipIf(citusLane).each(engines)('byte-order ids migration on %s', (engine) => {
  let database: DatabaseHandle;
  let migrator: Migrator;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    migrator = migratorFor(database.db);
    // A store written before the change.
    const before = await migrator.migrateTo('2026-12-01T00-00-trait-history');
    expect(before.error).toBeUndefined();
    await new EventPartitions(database.db).ensureFor([timestamp]);
    expect(await writeEvents(database.db, 'prj_1', records)).toHaveLength(3);
    const result = await migrator.migrateToLatest();
    expect(result.error).toBeUndefined();
  }, 60_000);
  afterAll(() => database.close());

  it('keeps the stored events deduplicated: a resend after the change inserts nothing', async () => {
    expect(await collationOf(database, 'event_keys', 'message_id')).toBe('C');
    expect(await writeEvents(database.db, 'prj_1', records)).toEqual([]);
    const days = await sql<{ account_id: string; logins: number }>`
      select account_id, logins from account_daily order by account_id`.execute(database.db);
    expect(days.rows).toEqual([
      { account_id: 'Acme', logins: 1 },
      { account_id: 'acme', logins: 1 },
      { account_id: 'Émile', logins: 1 },
    ]);
  });

  it('makes the analyst views again', async () => {
    const result = await sql<{ account_id: string }>`
      select account_id from analytics_events order by account_id`.execute(database.db);
    expect(result.rows.map((row) => row.account_id)).toEqual(['Acme', 'acme', 'Émile']);
  });

  it('reverts to the database collation and back', async () => {
    const down = await migrator.migrateTo('2026-12-01T00-00-trait-history');
    expect(down.error).toBeUndefined();
    expect(await collationOf(database, 'event_keys', 'message_id')).toBe('default');
    expect(await collationOf(database, 'analytics_events', 'account_id')).toBe('default');
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(await collationOf(database, 'events', 'account_id')).toBe('C');
    expect(await writeEvents(database.db, 'prj_1', [record('m-4', 'acme')])).toHaveLength(1);
  });
});
