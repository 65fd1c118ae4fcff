import { createQueryId, PostgresQueryCompiler, type RawBuilder, sql } from 'kysely';
import { PREPARED } from '../db/preparing-client.js';
import { PROJECT } from './writer-parameters.js';

/** A row of the flush as the steps after the events see it: its ids resolved. */
export interface StepRow {
  type: string;
  event: string | null;
  user_id: string | null;
  account_id: string | null;
  previous_id: string | null;
  anonymous_id: string | null;
}

/**
 * One insert of the ingest writer: into `target` (a column list that starts with project_id),
 * the rows of `rows` (a select of every other column, over the flush's CTEs), then `tail`
 * (order and conflict handling); what it returns is up to the caller. Written once, it runs two ways:
 * - on Postgres and PGlite, as a CTE of the writer's one statement (`asCte`);
 * - on Citus, as a statement of its own in the flush's transaction (`asStatement`).
 */
export interface WriterStep {
  name: string;
  target: RawBuilder<unknown>;
  rows: RawBuilder<unknown>;
  tail: RawBuilder<unknown>;
  /**
   * Whether some row of the flush may give this step a row. On Citus, where a step is a round
   * trip, a step that cannot is not sent; so this must hold whenever its select could return
   * a row (a looser test only costs a statement that inserts nothing).
   */
  mayInsert(rows: readonly StepRow[]): boolean;
  /**
   * The CTE its rows read: `ins` (the new events) unless said. On Citus, a step's statement
   * carries only the CTEs it reads: every one more is copied and deparsed for each shard.
   */
  reads?: 'counted' | 'flush_links';
  /**
   * Its select usually has no row even when `mayInsert` holds (users, accounts and memberships
   * are rewritten only when something changed): on Citus, whether it has one is read first,
   * for all such steps in one cheap statement, and the insert sent only if so.
   */
  usuallyEmpty?: boolean;
}

/** The step as a CTE of the one statement: the project is the statement's parameter. */
export function asCte(step: WriterStep, returning = sql``): RawBuilder<unknown> {
  return sql`${sql.raw(step.name)} as (
      insert into ${step.target}
      select ${PROJECT}, step_rows.* from (${step.rows}) step_rows
      ${step.tail} ${returning}
    )`;
}

/**
 * The step as a statement of its own, its select reading the CTEs `sources`. Citus sends an
 * `insert … select` whole to one shard (the router case: one task, no intermediate results)
 * only when the inserted distribution column is a distribution column of a co-located table
 * in the select, never a parameter: so project_id comes from the project's row of
 * `project_anchors`, and the select is pinned to the project on every table it reads.
 */
export function asStatement(
  step: WriterStep,
  sources: RawBuilder<unknown>,
  returning = sql``,
): RawBuilder<unknown> {
  return sql`insert into ${step.target}
    with ${sources}
    select anchor.project_id, step_rows.*
    from project_anchors anchor cross join (${step.rows}) step_rows
    where anchor.project_id = ${PROJECT}
    ${step.tail} ${returning}`;
}

/** A statement's text, with the marker that has it prepared once per connection. */
export function compiled(statement: RawBuilder<unknown>): string {
  return new PostgresQueryCompiler().compileQuery(
    sql`${sql.raw(PREPARED)} ${statement}`.toOperationNode(),
    createQueryId(),
  ).sql;
}
