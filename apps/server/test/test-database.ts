import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, type Engine, openDatabase } from '../src/db/open-database.js';
import { createCitusDatabase } from './citus-database.js';

/**
 * The Citus lane (`pnpm test:citus`): the coordinator at CITUS_URL stands in for the Postgres
 * server, and every test database is distributed (citus-database.ts).
 */
const citusUrl = process.env.TENURE_TEST_LANE === 'citus' ? process.env.CITUS_URL : undefined;
export const citusLane = citusUrl !== undefined;

/**
 * The engines every store test runs on: PGlite always, and a Postgres server when
 * TEST_DATABASE_URL is set (CI sets it); only the Citus coordinator in the Citus lane. Use
 * with `describe.each(engines)`.
 */
export const engines: Engine[] = citusLane
  ? ['postgres']
  : ['pglite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])];

/** A fresh, empty database on `engine`; closing it drops it. */
export async function openTestDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const database = await createPostgresDatabase();
  const handle = await openDatabase({ url: database.url, poolSize: 8 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}

/** A fresh, empty database on the TEST_DATABASE_URL server, for a process of its own. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (citusUrl) return createCitusDatabase(citusUrl);
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `tenure_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
