import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../test/test-database.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { valuesInserts } from './values-insert.sql.js';

describe.each(engines)('multi-row inserts on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await sql`create table labels (project_id text, n text, label text, primary key (project_id, n))`.execute(
      database.db,
    );
  });
  afterAll(() => database.close());

  const labels = {
    target: sql`labels (project_id, n, label)`,
    keyOrder: [2],
    onConflict: sql`on conflict (project_id, n) do update set label = excluded.label`,
  };
  // Two parameters a row: more rows than one statement can bind (65,535 parameters).
  const rows = (label: string) =>
    Array.from({ length: 40_000 }, (_, i) => [String(39_999 - i).padStart(5, '0'), label]);

  it('writes more rows than one statement binds, in key order, through the conflict rule', async () => {
    const statements = valuesInserts(labels, 'prj_1', rows('first'));
    expect(statements).toHaveLength(2);
    expect(statements[0]!.parameters.slice(0, 4)).toEqual(['prj_1', '00000', 'first', '00001']);
    for (const statement of [...statements, ...valuesInserts(labels, 'prj_1', rows('again'))]) {
      await database.db.executeQuery(statement);
    }
    const stored = await sql<{ rows: number; labels: string }>`
      select count(*)::int as rows, string_agg(distinct label, ',') as labels
      from labels where project_id = 'prj_1'`.execute(database.db);
    expect(stored.rows).toEqual([{ rows: 40_000, labels: 'again' }]);
  });
});
