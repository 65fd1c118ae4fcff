import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './database.types.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PreparingClient } from './preparing-client.js';
import { typeParsers } from './type-parsers.js';

export type Engine = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** The node-postgres pool, when on a Postgres server (the COPY path of the benchmark uses it). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Postgres connection string; without it, the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite's data folder; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  poolSize?: number | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPGlite(options.dataDir ?? 'memory://');
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // No connectionTimeoutMillis here: on the pool it would also bound the wait for a free
    // client, and a busy pool is not a lost database. The connect timeout is the client's own
    // (PreparingClient).
    Client: PreparingClient,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', pool, close: () => db.destroy() };
}

async function openPGlite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  const parsers = Object.fromEntries(
    Object.entries(typeParsers).map(([oid, parse]) => [oid, (value: string) => parse(value)]),
  );
  const pglite = await PGlite.create(dataDir, { parsers });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
