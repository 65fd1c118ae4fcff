import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { isStalePlan, PREPARED } from './preparing-client.js';

const { serialize } = protocol;

/** One buffer of protocol messages, for one call into PGlite. */
const concat = (messages: Uint8Array[]): Uint8Array => Buffer.concat(messages);

/**
 * Kysely dialect for PGlite, the embedded Postgres. PGlite has one connection, so the driver
 * hands it to one user at a time: a transaction holds it until commit, and other queries
 * queue behind it instead of interleaving with the transaction's statements.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();

  constructor(pglite: PGlite) {
    this.connection = new PGliteConnection(pglite);
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.queue;
    this.queue = previous.then(() => held);
    await previous;
    this.connection.release = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(connection: DatabaseConnection) {
    (connection as PGliteConnection).release();
  }
  async destroy() {}
}

class PGliteConnection implements DatabaseConnection {
  release: () => void = () => {};

  /** The names of the marked statements prepared so far, by text. */
  private readonly prepared = new Map<string, string>();
  private preparedCount = 0;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const values = query.parameters;
    if (query.sql.startsWith(PREPARED) && values.every((value) => typeof value === 'string')) {
      return this.executePrepared<R>(query.sql, values as string[]);
    }
    // Like node-postgres, a query without parameters goes through the simple protocol, which
    // allows several statements (migrations); the last statement's result is returned.
    const result =
      query.parameters.length === 0
        ? ((await this.pglite.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pglite.query<R>(query.sql, [...query.parameters]);
    return {
      rows: result.rows as R[],
      ...(result.affectedRows === undefined
        ? {}
        : { numAffectedRows: BigInt(result.affectedRows) }),
    };
  }

  /**
   * Runs a statement marked `PREPARED` as a named prepared statement, as `PreparingClient` does
   * on Postgres: it is parsed, analysed and planned once, then only bound and executed. On
   * PGlite the writer's statement otherwise spends 12–15 ms of each flush in planning alone
   * (docs/benchmarks.md). PGlite's `query` always uses the unnamed statement, so this speaks
   * the extended protocol itself; its parameters are text (the writer's one is JSON).
   */
  private async executePrepared<R>(
    text: string,
    values: string[],
    retried = false,
  ): Promise<QueryResult<R>> {
    let name = this.prepared.get(text);
    if (name === undefined) {
      this.preparedCount += 1;
      name = `tenure_${this.preparedCount}`;
      await this.pglite.execProtocol(concat([serialize.parse({ name, text }), serialize.sync()]));
      this.prepared.set(text, name);
    }
    let messages: Awaited<ReturnType<PGlite['execProtocol']>>['messages'];
    try {
      ({ messages } = await this.pglite.execProtocol(
        concat([
          serialize.bind({ statement: name, values }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      ));
    } catch (error) {
      if (retried || !isStalePlan(error)) throw error;
      // A migration changed the statement's result columns: prepare it again, once.
      this.prepared.delete(text);
      await this.pglite.execProtocol(
        concat([serialize.close({ type: 'S', name }), serialize.sync()]),
      );
      return this.executePrepared(text, values, true);
    }
    const [result] = parse.parseResults(messages, this.pglite.parsers);
    return {
      rows: (result?.rows ?? []) as R[],
      ...(result?.affectedRows === undefined
        ? {}
        : { numAffectedRows: BigInt(result.affectedRows) }),
    };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; streaming is not offered.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries; use paginated reads');
  }
}
