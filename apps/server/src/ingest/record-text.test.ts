import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../test/test-database.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { recordFields } from './record-text.js';

describe('recordFields', () => {
  it('reads plain, quoted, empty and null fields', () => {
    expect(recordFields('(a,"b, c",,"")')).toEqual(['a', 'b, c', null, '']);
    expect(recordFields('()')).toEqual([null]);
    expect(recordFields('(,)')).toEqual([null, null]);
    expect(recordFields('(42)')).toEqual(['42']);
  });

  it('reads doubled quotes and escaped backslashes inside quotes', () => {
    expect(recordFields('("say ""hi""","a\\\\b","(x)")')).toEqual(['say "hi"', 'a\\b', '(x)']);
  });

  it('refuses what is not a record', () => {
    expect(() => recordFields('a,b')).toThrow(/not the text of a record/);
    expect(() => recordFields('("open)')).toThrow(/unterminated/);
  });
});

describe.each(engines)('a row through its record text on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database.close());

  it('reads back every value exactly, cast by its column type', async () => {
    const values = sql`select 'a "quoted", (parenthesised) \\ text' as t, '' as empty,
        null::text as missing, 12345678901234567890.123456789::numeric as n,
        '2026-12-06 21:00:00.123456+00'::timestamptz as at, '2026-02-03'::date as day,
        '{"k": "v, \\"w\\"", "n": [1, 2.50]}'::jsonb as j, true as b, 7::integer as i`;
    const [row] = (
      await sql<{ text: string }>`select v::text as text from (${values}) v`.execute(database.db)
    ).rows;
    const fields = recordFields(row!.text);
    expect(fields).toHaveLength(9);
    const [t, empty, missing, n, at, day, j, b, i] = fields;
    const back = await sql<Record<string, unknown>>`
      select ${t}::text = original.t as t, ${empty}::text = original.empty as empty,
        ${missing}::text is null as missing, ${n}::numeric = original.n as n,
        ${at}::timestamptz = original.at as at, ${day}::date = original.day as day,
        ${j}::jsonb = original.j as j, ${b}::boolean = original.b as b,
        ${i}::integer = original.i as i
      from (${values}) original`.execute(database.db);
    expect(back.rows).toEqual([
      {
        t: true,
        empty: true,
        missing: true,
        n: true,
        at: true,
        day: true,
        j: true,
        b: true,
        i: true,
      },
    ]);
  });
});
