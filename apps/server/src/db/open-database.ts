import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DataFolderError } from './data-folder-error.js';
import { type DataFolderLock, lockDataFolder } from './data-folder-lock.js';
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
  const lock: DataFolderLock | null = dataDir.includes('://') ? null : lockDataFolder(dataDir);
  const parsers = Object.fromEntries(
    Object.entries(typeParsers).map(([oid, parse]) => [oid, (value: string) => parse(value)]),
  );
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, { parsers });
  } catch (error) {
    lock?.release();
    throw damagedFolder(dataDir, error);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** PGlite reports a folder it cannot read as a WebAssembly abort; say what it means instead. */
function damagedFolder(dataDir: string, error: unknown): DataFolderError {
  const cause = error instanceof Error ? error.message : String(error);
  // A file-system error (permissions, a full disk) is not damage: its message says enough.
  if (typeof (error as NodeJS.ErrnoException).code === 'string') {
    return new DataFolderError(
      `The embedded database in ${dataDir} could not be opened: ${cause}`,
      {
        cause: error,
      },
    );
  }
  return new DataFolderError(
    `The embedded database in ${dataDir} could not be opened (${cause}). The folder is damaged: ` +
      'this happens when two processes used it at once (older versions did not prevent it) or ' +
      'after a power cut or an operating-system crash. Restore the folder from a backup, or ' +
      'start over with `tenure data reset --yes`, which moves the folder aside and creates an ' +
      'empty database on the next start (the demo regenerates its data).',
    { cause: error },
  );
}
