import { CompiledQuery, createQueryId, PostgresQueryCompiler, type RawBuilder, sql } from 'kysely';

/** Values of one row after project_id, as text (or null) that Postgres casts to each column. */
export type ValuesRow = readonly (string | null)[];

/** The protocol's limit on a statement's parameters is 65,535; one is the project. */
const MAX_PARAMETERS = 65_534;

/** What a multi-row insert writes into: a column list starting with project_id, a conflict rule. */
export interface ValuesTarget {
  target: RawBuilder<unknown>;
  keyOrder: readonly number[];
  onConflict: RawBuilder<unknown>;
}

/**
 * Multi-row `insert into target values ($1, …), ($1, …) onConflict returning`, the project
 * `$1` of every row: the statements that write `rows`, as many as the protocol's parameter
 * limit needs (an event takes 13 parameters: one statement holds 5,041, more than a flush
 * holds by default). Rows are sorted by the target's key order first, so that concurrent
 * flushes take shared rows' locks in the same order.
 *
 * Why on Citus: Citus plans an `insert … values` by evaluating the project and routing the
 * rows to its shard (it defers shard pruning to execution), without planning a select against
 * every shard of the target as it does for an `insert … select` (docs/operations.md, "What a
 * flush costs on Citus"). The text depends on the number of rows, so it is not prepared: a
 * named statement per row count would pile up on every connection.
 */
export function valuesInserts(
  into: ValuesTarget,
  projectId: string,
  rows: readonly ValuesRow[],
  returning: RawBuilder<unknown> = sql``,
): CompiledQuery[] {
  if (rows.length === 0) return [];
  const width = rows[0]!.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const sorted = sortedByKey(rows, into.keyOrder);
  const [head, tail] = [
    textOf(sql`insert into ${into.target} values`),
    textOf(sql`${into.onConflict} ${returning}`),
  ];
  const statements: CompiledQuery[] = [];
  for (let start = 0; start < sorted.length; start += perStatement) {
    const chunk = sorted.slice(start, start + perStatement);
    const tuples = chunk.map((_, i) => {
      const first = 2 + i * width;
      const columns = Array.from({ length: width }, (_, c) => `$${first + c}`);
      return `($1, ${columns.join(', ')})`;
    });
    statements.push(
      CompiledQuery.raw(`${head} ${tuples.join(', ')} ${tail}`, [projectId, ...chunk.flat()]),
    );
  }
  return statements;
}

function sortedByKey(rows: readonly ValuesRow[], keyOrder: readonly number[]): ValuesRow[] {
  // Positions count project_id as 1; a row's values start at 2.
  const keys = keyOrder.map((position) => position - 2);
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const [x, y] = [a[key] ?? '', b[key] ?? ''];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** The text of SQL that takes no parameters (a target, a conflict rule). */
function textOf(statement: RawBuilder<unknown>): string {
  const query = new PostgresQueryCompiler().compileQuery(
    statement.toOperationNode(),
    createQueryId(),
  );
  if (query.parameters.length > 0) throw new Error('a values insert takes only its rows');
  return query.sql;
}
