import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDialect } from './pglite-dialect.js';
import { PREPARED } from './preparing-client.js';

describe('PGliteDialect, statements marked PREPARED', () => {
  let pglite: PGlite;
  let db: Kysely<unknown>;
  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    db = new Kysely({ dialect: new PGliteDialect(pglite) });
  });
  afterAll(async () => {
    await db.destroy();
    await pglite.close();
  });

  const prepared = async () =>
    (await pglite.query<{ name: string }>('select name from pg_prepared_statements')).rows.map(
      (row) => row.name,
    );
  const plusOne = (value: string) =>
    sql<{ n: number }>`${sql.raw(PREPARED)} select 1 + ${value}::int as n`.execute(db);

  it('are prepared once and run again with new values', async () => {
    expect((await plusOne('1')).rows).toEqual([{ n: 2 }]);
    expect((await plusOne('41')).rows).toEqual([{ n: 42 }]);
    expect(await prepared()).toEqual(['tenure_1']);
    // Unmarked statements stay unnamed.
    expect((await sql<{ n: number }>`select ${'7'}::int as n`.execute(db)).rows).toEqual([
      { n: 7 },
    ]);
    expect(await prepared()).toEqual(['tenure_1']);
  });

  it('fail with the database error and its code, and leave the connection usable', async () => {
    await expect(plusOne('not a number')).rejects.toMatchObject({ code: '22P02' });
    expect((await plusOne('2')).rows).toEqual([{ n: 3 }]);
  });

  it('report rows written, and are prepared again when a migration changes their result', async () => {
    await sql`create table labels (name text)`.execute(db);
    const insert = await sql`${sql.raw(PREPARED)} insert into labels values (${'a'})`.execute(db);
    expect(insert.numAffectedRows).toBe(1n);
    const select = () =>
      sql<{
        name: string;
      }>`${sql.raw(PREPARED)} select name from labels where name > ${''}`.execute(db);
    expect((await select()).rows).toEqual([{ name: 'a' }]);
    await sql`alter table labels alter column name type varchar(10)`.execute(db);
    expect((await select()).rows).toEqual([{ name: 'a' }]);
    expect((await select()).rows).toEqual([{ name: 'a' }]);
  });
});

describe('PGliteDialect transactions', () => {
  let pglite: PGlite;
  let db: Kysely<{ notes: { body: string } }>;
  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    db = new Kysely({ dialect: new PGliteDialect(pglite) });
    await sql`create table notes (body text not null)`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    await pglite.close();
  });

  const bodies = async () =>
    (await db.selectFrom('notes').select('body').orderBy('body').execute()).map((n) => n.body);

  it('commit what the callback wrote and roll back everything when it throws', async () => {
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('notes').values({ body: 'kept' }).execute();
    });
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('notes').values({ body: 'undone' }).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await bodies()).toEqual(['kept']);
  });
});
