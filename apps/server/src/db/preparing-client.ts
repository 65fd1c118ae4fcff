import { createHash } from 'node:crypto';
import pg from 'pg';
import { COPY_FROM_STDIN, copyIn } from './copy-from-stdin.js';

/** Leads a statement that should be prepared once per connection (see `PreparingClient`). */
export const PREPARED = '/* prepared */';

/** Each distinct marked text gets its own name, so that a changed statement is parsed anew. */
function statementName(text: string, generation: number): string {
  return `tenure_${createHash('sha1').update(text).digest('hex').slice(0, 20)}_${generation}`;
}

/**
 * Postgres replans a prepared statement by itself when a table it uses changes, unless the
 * change alters the statement's result columns (a migration changing a returned column's type
 * or collation, say): then every execution fails with this error until it is prepared again.
 */
export function isStalePlan(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && /cached plan must not change result type/.test(String(message));
}

const CONNECT_TIMEOUT_MS = 5_000;

type Query = (config: unknown, values?: unknown, callback?: unknown) => Promise<unknown>;

/**
 * A node-postgres client that runs statements marked `PREPARED` as named prepared statements:
 * a connection parses, analyses and plans each of them once, then only binds and executes.
 * The ingest writer's statement (write-events.sql.ts) is a large CTE whose planning otherwise
 * costs Postgres about 3 µs of CPU per event written (docs/benchmarks.md). A statement whose
 * result columns a migration changed is prepared again under a new name, once.
 *
 * It also runs statements marked `COPY_FROM_STDIN` as COPY, the data their one parameter.
 *
 * Behind PgBouncer in transaction mode this needs PgBouncer 1.21 or later with
 * `max_prepared_statements` set (docs/operations.md).
 */
export class PreparingClient extends pg.Client {
  /** Bumped for a text whenever its prepared statement went stale. */
  private readonly generations = new Map<string, number>();

  constructor(config?: string | pg.ClientConfig) {
    // A database that stopped answering (not refusing) would hold a connection attempt until
    // the OS gives up on the socket; after 5 s the request answers 503 storage_unavailable.
    const given = typeof config === 'string' ? { connectionString: config } : (config ?? {});
    super({
      ...given,
      connectionTimeoutMillis: given.connectionTimeoutMillis ?? CONNECT_TIMEOUT_MS,
    });
    // A client checked out between statements (kysely holds one for a whole transaction) that
    // loses its server emits 'error'; with no listener that is an uncaught exception and the
    // process dies. Its next query fails instead (503 storage_unavailable), and the pool drops
    // the broken client when it is released.
    this.on('error', () => {});
    const query = this.query.bind(this) as Query;
    const prepared = async (text: string, values: unknown[]) => {
      const generation = this.generations.get(text) ?? 0;
      try {
        return await query({ name: statementName(text, generation), text, values });
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        this.generations.set(text, generation + 1);
        return query({ name: statementName(text, generation + 1), text, values });
      }
    };
    this.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      const marked = typeof config === 'string' && Array.isArray(values) && !callback;
      if (marked && config.startsWith(PREPARED)) return prepared(config, values);
      if (marked && config.startsWith(COPY_FROM_STDIN)) return copyIn(this, config, values[0]);
      return query(config, values, callback);
    }) as pg.Client['query'];
  }
}
