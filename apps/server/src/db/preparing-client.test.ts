import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackRecord } from '../../test/event-records.js';
import { engines, openTestDatabase } from '../../test/test-database.js';
import { writeEvents } from '../ingest/write-events.sql.js';
import { COPY_FROM_STDIN, copyRow } from './copy-from-stdin.js';
import { EventPartitions } from './event-partitions.js';
import { migrateToLatest } from './migrate.js';
import type { DatabaseHandle } from './open-database.js';
import { PREPARED, PreparingClient } from './preparing-client.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('PreparingClient on postgres', () => {
  let client: PreparingClient;
  beforeAll(async () => {
    client = new PreparingClient({ connectionString: url });
    await client.connect();
  });
  afterAll(() => client.end());

  const prepared = async () => {
    const result = await client.query<{ statement: string }>(
      'select statement from pg_prepared_statements order by prepare_time',
    );
    return result.rows.map((row) => row.statement);
  };

  it('prepares a marked statement once and reuses it with new values', async () => {
    const text = `${PREPARED} select $1::int + 1 as n`;
    expect((await client.query(text, [1])).rows).toEqual([{ n: 2 }]);
    expect((await client.query(text, [41])).rows).toEqual([{ n: 42 }]);
    expect(await prepared()).toEqual([text]);
  });

  it('leaves unmarked statements unprepared', async () => {
    expect((await client.query('select $1::int as n', [7])).rows).toEqual([{ n: 7 }]);
    expect(await prepared()).toHaveLength(1);
  });

  it('keeps answering after a table it reads changes', async () => {
    await client.query('create temporary table things (a int)');
    const text = `${PREPARED} select count(*)::int as n from things where a > $1`;
    await client.query('insert into things values (1), (2), (3)');
    expect((await client.query(text, [1])).rows).toEqual([{ n: 2 }]);
    await client.query('alter table things add column b text');
    await client.query('insert into things values (4)');
    expect((await client.query(text, [1])).rows).toEqual([{ n: 3 }]);
  });

  it('prepares a statement again when a change to a table alters its result columns', async () => {
    await client.query('create temporary table labels (name text)');
    await client.query("insert into labels values ('a')");
    const text = `${PREPARED} select name from labels where name > $1`;
    expect((await client.query(text, [''])).rows).toEqual([{ name: 'a' }]);
    await client.query('alter table labels alter column name type varchar(10)');
    expect((await client.query(text, [''])).rows).toEqual([{ name: 'a' }]);
    expect((await client.query(text, [''])).rows).toEqual([{ name: 'a' }]);
  });

  it('copies the data of a statement marked COPY_FROM_STDIN, every character as sent', async () => {
    await client.query('create temporary table copied (n int, label text, doc jsonb)');
    const labels = ['tab\there', 'two\nlines\r', 'back\\slash \\N', '\\.', '', null];
    const rows = labels.map((label, n) => [String(n), label, JSON.stringify({ label })]);
    const data = rows.map(copyRow).join('');
    const result = await client.query(`${COPY_FROM_STDIN} copy copied from stdin`, [data]);
    expect(result.rowCount).toBe(labels.length);
    const stored = await client.query('select label, doc from copied order by n');
    expect(stored.rows).toEqual(labels.map((label) => ({ label, doc: { label } })));
  });
});

describe.each(engines)('the prepared ingest statement on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    expect((await migrateToLatest(database.db)).error).toBeUndefined();
  });
  afterAll(() => database.close());

  const record = (messageId: string, timestamp: string) =>
    trackRecord({ message_id: messageId, timestamp });

  it('writes into a partition made after it was prepared, and still deduplicates', async () => {
    const partitions = new EventPartitions(database.db);
    const october = '2026-10-05T09:00:00.000Z';
    await partitions.ensureFor([october]);
    // More writes than connections, so every connection of the pool has prepared it.
    for (let i = 0; i < 10; i += 1) {
      expect(await writeEvents(database.db, 'prj_1', [record(`oct-${i}`, october)])).toHaveLength(
        1,
      );
    }
    const november = '2026-11-05T09:00:00.000Z';
    await partitions.ensureFor([november]);
    for (let i = 0; i < 10; i += 1) {
      expect(await writeEvents(database.db, 'prj_1', [record(`nov-${i}`, november)])).toHaveLength(
        1,
      );
      expect(await writeEvents(database.db, 'prj_1', [record(`oct-${i}`, october)])).toEqual([]);
    }
  });
});
