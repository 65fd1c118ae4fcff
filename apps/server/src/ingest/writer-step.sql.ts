import { createQueryId, PostgresQueryCompiler, type RawBuilder, sql } from 'kysely';
import { PREPARED } from '../db/preparing-client.js';
import type { EventRecord } from './event-record.js';
import { PROJECT } from './writer-parameters.js';

/**
 * One insert of the ingest writer: into `target` (a column list that starts with project_id),
 * the rows of `rows` (a select of every other column, over the flush's CTEs), in the order of
 * `keyOrder`, then `onConflict`. Written once, it runs two ways:
 * - on Postgres and PGlite, as a CTE of the writer's one statement (`asCte`);
 * - on Citus, its rows are read by the flush's one router select and written by a multi-row
 *   `insert … values` (citus-writer.sql.ts, values-insert.sql.ts).
 */
export interface WriterStep {
  name: string;
  target: RawBuilder<unknown>;
  rows: RawBuilder<unknown>;
  /**
   * The positions in `target` (project_id is 1) that rows are inserted in the order of:
   * concurrent flushes then lock shared rows (rollups, users) in the same order and cannot
   * deadlock. Empty where no row is ever shared.
   */
  keyOrder: readonly number[];
  /** `on conflict …`, or nothing. */
  onConflict: RawBuilder<unknown>;
  /**
   * For a step that only some calls feed (trait history, tickets, links): whether `record`, as
   * sent, may give it a row. On Citus the flush's select leaves out a step no record feeds,
   * since every step in it is planned at every flush on both nodes; so it must hold for every
   * record that could (looser only costs planning).
   */
  fedBy?: (record: EventRecord) => boolean;
}

/** The step as a CTE of the one statement: the project is the statement's parameter. */
export function asCte(step: WriterStep, returning = sql``): RawBuilder<unknown> {
  const order =
    step.keyOrder.length > 0 ? sql`order by ${sql.raw(step.keyOrder.join(', '))}` : sql``;
  return sql`${sql.raw(step.name)} as (
      insert into ${step.target}
      select ${PROJECT}, step_rows.* from (${step.rows}) step_rows
      ${order} ${step.onConflict} ${returning}
    )`;
}

/** A statement's text, with the marker that has it prepared once per connection. */
export function compiled(statement: RawBuilder<unknown>): string {
  return new PostgresQueryCompiler().compileQuery(
    sql`${sql.raw(PREPARED)} ${statement}`.toOperationNode(),
    createQueryId(),
  ).sql;
}
