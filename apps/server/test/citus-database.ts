import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { distribute } from '../src/db/citus/distribute.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';

/** Few shards per table: a test database holds little, and each shard costs tables on a worker. */
const TEST_SHARD_COUNT = 4;

async function run(url: string, statements: string[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, host: string, port: number, name: string) {
  const next = new URL(url);
  next.hostname = host;
  next.port = String(port);
  next.pathname = `/${name}`;
  return next.toString();
}

/**
 * A fresh database on the Citus cluster whose coordinator is at `coordinatorUrl` (its database
 * lists the workers): created on every node with the extension, the workers added, migrated and
 * distributed by `tenure citus distribute`'s own code (`distributed: false`: left empty and
 * local, for a test that distributes it). Dropping it drops it everywhere.
 */
export async function createCitusDatabase(
  coordinatorUrl: string,
  options: { distributed?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tenure_citus_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: coordinatorUrl });
  await admin.connect();
  const nodes = await admin.query<{ host: string; port: number; coordinator: boolean }>(
    `select nodename as host, nodeport as port, groupid = 0 as coordinator from pg_dist_node
     where noderole = 'primary' and isactive order by groupid`,
  );
  await admin.query(`create database ${name}`);
  await admin.end();
  const base = new URL(coordinatorUrl);
  const coordinator = nodes.rows.find((node) => node.coordinator) ?? {
    host: base.hostname,
    port: Number(base.port || 5432),
  };
  const workers = nodes.rows.filter((node) => !node.coordinator);
  if (workers.length === 0) throw new Error(`CITUS_URL ${coordinatorUrl} lists no worker`);
  for (const worker of workers) {
    await run(withDatabase(coordinatorUrl, worker.host, worker.port, 'postgres'), [
      `create database ${name}`,
    ]);
    await run(withDatabase(coordinatorUrl, worker.host, worker.port, name), [
      'create extension citus',
    ]);
  }
  const url = withDatabase(coordinatorUrl, base.hostname, Number(base.port || 5432), name);
  await run(url, [
    'create extension citus',
    `select citus_set_coordinator_host('${coordinator.host}', ${coordinator.port})`,
    ...workers.map((worker) => `select citus_add_node('${worker.host}', ${worker.port})`),
  ]);
  const handle = await openDatabase({ url, poolSize: 2 });
  try {
    if (options.distributed === false) return { url, drop };
    const migrated = await migrateToLatest(handle.db);
    if (migrated.error) throw migrated.error;
    await distribute(handle.db, { shardCount: TEST_SHARD_COUNT });
  } finally {
    await handle.close();
  }
  return { url, drop };

  async function drop() {
    await run(coordinatorUrl, [`drop database if exists ${name} with (force)`]);
    for (const worker of workers) {
      await run(withDatabase(coordinatorUrl, worker.host, worker.port, 'postgres'), [
        `drop database if exists ${name} with (force)`,
      ]);
    }
  }
}
