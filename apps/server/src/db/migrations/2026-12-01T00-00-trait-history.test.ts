import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusLane, engines, openTestDatabase } from '../../../test/test-database.js';
import { accountsAsOf } from '../../time/accounts-as-of.sql.js';
import { EventPartitions } from '../event-partitions.js';
import { migrateToLatest, migratorFor } from '../migrate.js';
import type { DatabaseHandle } from '../open-database.js';

const at = (day: number) => `2026-10-${String(day).padStart(2, '0')}T09:00:00.000Z`;

describe.skipIf(citusLane).each(engines)('trait history backfill on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const migrator = migratorFor(database.db);
    // A store from before trait history: its group and identify calls are only in events.
    const before = await migrator.migrateTo('2026-11-22T05-00-query-indexes');
    expect(before.error).toBeUndefined();
    await new EventPartitions(database.db).ensureFor([at(1)]);
    const event = (id: string, type: string, day: number, subject: object, traits: object) => ({
      project_id: 'prj_1',
      message_id: id,
      type,
      timestamp: new Date(at(day)),
      received_at: new Date(at(day)),
      properties: JSON.stringify(traits),
      context: '{}',
      ...subject,
    });
    await database.db
      .insertInto('events')
      .values([
        event(
          'g1',
          'group',
          1,
          { account_id: 'acme', user_id: 'ann' },
          { plan: 'starter', mrr: 50 },
        ),
        event('g2', 'group', 9, { account_id: 'acme', user_id: 'ann' }, { plan: 'pro', mrr: 900 }),
        event('g3', 'group', 5, { account_id: 'acme', user_id: 'bob' }, {}),
        event('i1', 'identify', 2, { user_id: 'ann' }, { role: 'admin' }),
        event('t1', 'track', 3, { account_id: 'acme', user_id: 'ann' }, { plan: 'not a trait' }),
      ])
      .execute();
    await database.db
      .insertInto('accounts')
      .values({
        project_id: 'prj_1',
        account_id: 'acme',
        traits: JSON.stringify({ plan: 'pro', mrr: 900 }),
        traits_at: new Date(at(9)),
        first_seen: new Date(at(1)),
        last_seen: new Date(at(9)),
      })
      .execute();
    const result = await migrateToLatest(database.db);
    expect(result.error).toBeUndefined();
  }, 60_000);
  afterAll(() => database.close());

  it('fills the history from existing group and identify calls with traits', async () => {
    const accounts = await sql<{ message_id: string; traits: object }>`
      select message_id, traits from account_trait_changes order by timestamp`.execute(database.db);
    expect(accounts.rows).toEqual([
      { message_id: 'g1', traits: { plan: 'starter', mrr: 50 } },
      { message_id: 'g2', traits: { plan: 'pro', mrr: 900 } },
    ]);
    const users = await sql<{ user_id: string; traits: object }>`
      select user_id, traits from user_trait_changes`.execute(database.db);
    expect(users.rows).toEqual([{ user_id: 'ann', traits: { role: 'admin' } }]);
  });

  it('answers pre-existing accounts as of a past time from the filled history', async () => {
    const read = async (asOf: string) => {
      const result = await sql<{ plan: string; mrr: string | number }>`
        select plan, mrr from ${accountsAsOf('prj_1', new Date(asOf))} a`.execute(database.db);
      return result.rows.map((row) => ({ plan: row.plan, mrr: Number(row.mrr) }));
    };
    expect(await read(at(5))).toEqual([{ plan: 'starter', mrr: 50 }]);
    expect(await read(at(9))).toEqual([{ plan: 'pro', mrr: 900 }]);
  });
});
