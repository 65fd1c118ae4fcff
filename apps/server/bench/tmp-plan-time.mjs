import { readFileSync } from 'node:fs';
import pg from 'pg';

const sqls = JSON.parse(readFileSync('/tmp/citus-sql.json', 'utf8'));
const at = '2026-12-06T09:00:00.000Z';
const rows = Array.from({ length: 100 }, (_, i) => [
  `m-${i}-${Math.random()}`,
  'track',
  i % 10 ? 'feature_used' : 'login',
  `user-${i % 20}`,
  null,
  `account-${i % 5}`,
  null,
  at,
  at,
  null,
  at,
  { feature: `f${i % 8}` },
  {},
  null,
]);
for (const db of process.argv.slice(2)) {
  const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5440/${db}` });
  await c.connect();
  await c.query(`insert into project_anchors values ('prj_t') on conflict do nothing`);
  for (const step of (process.env.STEPS ?? 'account_days,user_rows,anchor').split(',')) {
    const text = sqls[step];
    const params = step === 'anchor' ? ['prj_t'] : ['prj_t', JSON.stringify(rows)];
    const n = 60;
    let t0;
    for (let i = 0; i < n + 10; i += 1) {
      if (i === 10) t0 = performance.now();
      await c.query('begin');
      await c.query({ name: step, text, values: params });
      await c.query('rollback');
    }
    const ms = (performance.now() - t0) / n;
    const explain = await c.query(
      `explain (summary on, costs off) ${text.replace(/\$1::text/g, "'prj_t'::text").replace(/\$2::jsonb/g, `'${JSON.stringify(rows)}'::jsonb`)}`,
    );
    const planning = explain.rows
      .map((r) => r['QUERY PLAN'])
      .find((l) => l.startsWith('Planning Time'));
    console.log(db, step, `${ms.toFixed(2)} ms per begin+statement+rollback`, planning);
  }
  await c.end();
}
