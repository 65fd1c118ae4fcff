import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { citusLane, engines } from '../../test/test-database.js';
import { analyzeGrownTables } from './planner-statistics.js';

describe.each(engines)('planner statistics on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing writing in the background (the score keeper would grow tables of its own).
    t = await createTestApp(engine, {
      TENURE_SCORE_KEEPING: 'off',
      TENURE_JOBS_INTERVAL_MINUTES: 0,
    });
    await t.ingest(
      Array.from({ length: 40 }, (_, i) => ({
        type: 'track',
        event: i % 2 ? 'login' : 'support_ticket_opened',
        properties: i % 2 ? {} : { ticketId: `t${i}` },
        userId: `u${i % 5}`,
        context: { groupId: `acct-${i % 4}` },
      })),
    );
  });
  afterAll(() => t?.close());

  const eventStatistics = async () =>
    (
      await sql<{ attname: string }>`
        select attname from pg_stats where schemaname = current_schema() and tablename = 'events'
      `.execute(t.app.services.db)
    ).rows.map((row) => row.attname);

  // Not in the Citus lane: a coordinator's distributed tables are empty shells whose statistics
  // live with their shards on the workers, so pg_stats never lists them there. The product asks
  // only of the embedded database (start-demo.ts), never of a Citus cluster.
  it.skipIf(citusLane)(
    'analyzes tables that never were, then those that grew by a fifth',
    async () => {
      const { db } = t.app.services;
      expect(await eventStatistics()).toEqual([]);
      const first = await analyzeGrownTables(db);
      expect(first.some((name) => name.startsWith('events'))).toBe(true);
      expect(await eventStatistics()).toEqual(expect.arrayContaining(['account_id', 'event']));
      expect(await analyzeGrownTables(db)).toEqual([]);

      // A table of 9 MB, analyzed; 10% more rows is not enough, 30% more is.
      await sql`create table grown (id integer, note text)`.execute(db);
      const add = (from: number, to: number) =>
        sql`insert into grown select i, repeat('x', 200) from generate_series(${from}::int, ${to}::int) i`.execute(
          db,
        );
      await add(1, 40_000);
      expect(await analyzeGrownTables(db)).toEqual(['grown']);
      await add(40_001, 44_000);
      expect(await analyzeGrownTables(db)).toEqual([]);
      await add(44_001, 52_000);
      expect(await analyzeGrownTables(db)).toEqual(['grown']);
      await sql`drop table grown`.execute(db);
    },
  );
});
