#!/usr/bin/env node
// `pnpm test:citus`: the server's store and API tests on a real Citus cluster. CITUS_URL is a
// coordinator's database in which the workers are added (citus_add_node); each test database
// is created on every node and distributed with `tenure citus distribute`'s code
// (test/citus-database.ts). Without CITUS_URL the lane is skipped, and says so.
import { spawnSync } from 'node:child_process';

if (!process.env.CITUS_URL) {
  console.log(
    'Citus lane skipped: CITUS_URL is not set (a Citus coordinator whose workers are added, ' +
      'e.g. CITUS_URL=postgres://postgres@127.0.0.1:5440/postgres; see docs/operations.md).',
  );
  process.exit(0);
}
const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--project', 'server', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TENURE_TEST_LANE: 'citus' } },
);
process.exit(result.status ?? 1);
