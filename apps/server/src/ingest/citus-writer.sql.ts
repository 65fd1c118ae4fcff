import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import { isDistributed } from '../db/citus/citus-state.js';
import { COPY_FROM_STDIN, copyRow } from '../db/copy-from-stdin.js';
import type { Db } from '../db/database.types.js';
import { fresh, INPUT, NEW_KEYS } from './event-dedup.sql.js';
import type { EventRecord } from './event-record.js';
import { recordFields } from './record-text.js';
import {
  AFTER_EVENTS,
  EVENT_COLUMNS,
  FLUSH_LINKS,
  INSERT_EVENTS,
  RESOLVE,
} from './resolve-events.sql.js';
import { COUNTED } from './rollups.sql.js';
import { type ValuesRow, valuesInserts } from './values-insert.sql.js';
import { asRow, type InsertedKey } from './writer-parameters.js';
import { compiled, type WriterStep } from './writer-step.sql.js';

/**
 * The writer on a database distributed by Citus: the steps of the one statement
 * (write-events.sql.ts) as three kinds of statement in one transaction, each of which Citus
 * sends whole to the project's shard.
 *
 * Why not the one statement: Citus 13 sends no statement with INSERT CTEs whole to a shard
 * ("Router planner doesn't support INSERT common table expressions"); it runs each CTE as a
 * distributed step of its own, pulling intermediate results through the coordinator (about
 * twenty steps a flush). And why not each step as an `insert … select`: Citus plans one of
 * those against every shard of its target (1.5 ms of the coordinator's time with 32 shards a
 * table), and ships the flush's records to the worker with each (docs/benchmarks.md, "Citus").
 * So the flush is:
 * 1. dedup, a multi-row `insert … values` into event_keys returning the keys it accepted;
 * 2. one router select of the accepted records (`stepRowsSql`): each event's user and account
 *    as resolved, and the rows of every step after the events, computed by the same SQL as on
 *    Postgres (rollups, trait history, users, accounts and memberships that need writing, links);
 * 3. the events by COPY, and a multi-row `insert … values` for each step that has rows.
 *
 * COPY, because the events are most of a flush's bytes: Citus routes copied rows to the
 * project's shard as they stream, where an `insert … values` of 100 events costs it 5–8 ms
 * of parsing, evaluating and deparsing on the coordinator (2 ms by COPY; 1,600 events: 90–136
 * ms against 21 ms, measured on this machine).
 *
 * Exactly once as on Postgres: dedup is the first statement, and the events and every rollup
 * are written from the records whose keys it accepted, in the same transaction, so a retry
 * after a failure or a resend finds its keys taken and counts nothing again.
 */

/**
 * What the select returns of each step's rows: every row as its record text (`row::text`), its
 * values in the step's column order, each in its type's own text (exact whatever the type:
 * numerics, timestamps, jsonb) for the insert to cast; `recordFields` splits it. Five times
 * cheaper on the worker than taking each row apart through JSON (`json_each_text`): 3 ms
 * against 16–19 ms for 1,000 rows of eight columns.
 */
function rowsAsText(rows: RawBuilder<unknown>) {
  return sql`(select json_agg(step_rows::text) from (${rows}) step_rows)`;
}

/**
 * Dates and timestamps in a record's text follow the worker's DateStyle, and the coordinator
 * reads them back with its own: only ISO output reads back the same whatever the reader's
 * DateStyle (PostgreSQL's default, and Tenure's requirement on every node).
 */
function checkDateStyle(dateStyle: string | undefined) {
  if (dateStyle !== undefined && !/^ISO\b/i.test(dateStyle)) {
    throw new Error(
      `The Citus worker's DateStyle is "${dateStyle}": Tenure needs ISO output on every node ` +
        `(datestyle = 'iso, mdy' in postgresql.conf, PostgreSQL's default).`,
    );
  }
}

/**
 * `ins` where every record names its user and account: the resolution's lookups would find
 * nothing to change, so the select leaves them out (same columns as `INSERT_EVENTS.rows`).
 */
const AS_SENT = sql`
      select timestamp, message_id, type, event, user_id, anonymous_id, account_id, properties,
        context, integrations, original_timestamp, sent_at, received_at
      from fresh`;

/** The select's text by shape: whether it resolves, which optional steps it holds (64 at most). */
const stepRowsSelects = new Map<string, string>();

/**
 * Step 2: the accepted records (`$2`, as `asRow`) resolved as the events insert of the one
 * statement resolves them (`ins`), and the rows of the steps after it that some record may
 * feed. A plain router select: every table it reads is pinned to the project, and it writes
 * nothing. Citus plans it at every flush, on the coordinator and again on the worker, so it
 * holds only what the flush needs: a few shapes, each prepared once per connection.
 */
function stepRowsSql(records: readonly EventRecord[]): {
  text: string;
  steps: WriterStep[];
  resolves: boolean;
} {
  const resolves = records.some((record) => record.user_id === null || record.account_id === null);
  const steps = AFTER_EVENTS.filter((step) => !step.fedBy || records.some(step.fedBy));
  const shape = `${resolves}:${steps.map((step) => step.name).join(',')}`;
  let text = stepRowsSelects.get(shape);
  if (!text) {
    text = compiled(sql`
      with ${INPUT}, ${fresh('input')}, ${FLUSH_LINKS},
      ${resolves ? sql`${RESOLVE}, ins as (${INSERT_EVENTS.rows})` : sql`ins as (${AS_SENT})`},
      ${COUNTED}
      select
        ${resolves ? sql`(select json_agg(json_build_array(message_id, user_id, account_id)) from ins)` : sql`null`} as filed,
        current_setting('DateStyle') as date_style,
        ${sql.join(steps.map((step) => sql`${rowsAsText(step.rows)} as ${sql.id(step.name)}`))}`);
    stepRowsSelects.set(shape, text);
  }
  return { text, steps, resolves };
}

type Filed = [message_id: string, user_id: string | null, account_id: string | null];

type StepRows = { filed: Filed[] | null; date_style: string } & Record<string, string[] | null>;

type Run = <R>(query: CompiledQuery) => Promise<R[]>;

/** Dedup (step 1): the statements that insert the keys of `records`, returning the new ones. */
function dedupOf(projectId: string, records: EventRecord[]): CompiledQuery[] {
  const ids = records.map((record) => [record.message_id]);
  return valuesInserts(NEW_KEYS, projectId, ids, sql`returning message_id`);
}

/** How the events are written: by COPY, or (to learn why a COPY failed) by `insert … values`. */
type EventsBy = 'copy' | 'values';

/**
 * Steps 2 and 3 for `accepted`, the records dedup accepted: the select (run by `run`), then
 * the writes it calls for, by step, and where each event is filed.
 */
async function writesAfterDedup(
  run: Run,
  projectId: string,
  accepted: EventRecord[],
  eventsBy: EventsBy,
) {
  const input = JSON.stringify(accepted.map(asStepRow));
  const select = stepRowsSql(accepted);
  const [found] = await run<StepRows>(CompiledQuery.raw(select.text, [projectId, input]));
  checkDateStyle(found?.date_style);
  // Without resolution every event is filed as sent: no need to have the select say so.
  const filed = select.resolves
    ? (found?.filed ?? [])
    : accepted.map((record): Filed => [record.message_id, record.user_id, record.account_id]);
  const events = eventRows(accepted, filed);
  const steps = [
    {
      name: INSERT_EVENTS.name,
      writes:
        eventsBy === 'copy'
          ? [copyEvents(projectId, events)]
          : valuesInserts(INSERT_EVENTS, projectId, events),
    },
    ...select.steps.map((step) => ({
      name: step.name,
      writes: valuesInserts(step, projectId, (found?.[step.name] ?? []).map(recordFields)),
    })),
  ];
  return { filed, steps };
}

/**
 * Writes `records` (all of project `projectId`, each message id once) as the one statement
 * would, in one transaction. A step the select finds no rows for is not sent.
 *
 * Citus reports an error of a copied row (a value the table refuses, a missing partition) as
 * an internal error (XX000) with the worker's message but not its SQLSTATE, which is what the
 * write lane tells a bad event from a transient failure by (write-lane.ts). So a flush whose
 * COPY failed is rolled back and run again with the events as `insert … values`, whose error
 * keeps its SQLSTATE: a cost only when something is wrong.
 */
export async function writeEventsOnCitus(
  db: Db,
  projectId: string,
  records: EventRecord[],
): Promise<InsertedKey[]> {
  try {
    return await writeFlush(db, projectId, records, 'copy');
  } catch (error) {
    if (!isCopyError(error)) throw error;
    return writeFlush(db, projectId, records, 'values');
  }
}

async function writeFlush(db: Db, projectId: string, records: EventRecord[], eventsBy: EventsBy) {
  return db.transaction().execute(async (tx) => {
    const run: Run = async <R>(query: CompiledQuery) => (await tx.executeQuery<R>(query)).rows;
    const accepted = new Set<string>();
    for (const dedup of dedupOf(projectId, records)) {
      for (const key of await run<{ message_id: string }>(dedup)) accepted.add(key.message_id);
    }
    if (accepted.size === 0) return [];
    const newRecords = records.filter((record) => accepted.has(record.message_id));
    const { filed, steps } = await writesAfterDedup(run, projectId, newRecords, eventsBy);
    for (const write of steps.flatMap((step) => step.writes)) await run(write);
    return filed.map(([message_id, , account_id]) => ({ message_id, account_id }));
  });
}

/** An error Citus raised for a copied row (multi_copy.c), its SQLSTATE lost. */
function isCopyError(error: unknown): boolean {
  const { code, routine } = error as { code?: unknown; routine?: unknown };
  return code === 'XX000' && routine === 'ReportCopyError';
}

/**
 * Every statement a flush of `records` (taken as new) would run on Citus, by step, for the
 * Citus lane's plan checks: the select is run to find them, nothing is written. The events
 * are there as the `insert … values` of a retry after a failed COPY (a COPY has no plan:
 * Citus routes each copied row by its project).
 */
export async function citusWriterStatements(
  db: Db,
  projectId: string,
  records: EventRecord[],
): Promise<[step: string, statement: CompiledQuery][]> {
  const queries: [string, CompiledQuery][] = [];
  for (const dedup of dedupOf(projectId, records)) queries.push([NEW_KEYS.name, dedup]);
  const run: Run = async <R>(query: CompiledQuery) => {
    queries.push(['step_rows', query]);
    return (await db.executeQuery<R>(query)).rows;
  };
  const { steps } = await writesAfterDedup(run, projectId, records, 'values');
  for (const step of steps) for (const write of step.writes) queries.push([step.name, write]);
  return queries;
}

/** The events, copied: no conflict to handle (dedup accepted each), nothing to return. */
function copyEvents(projectId: string, rows: readonly ValuesRow[]): CompiledQuery {
  const data = rows.map((row) => copyRow([projectId, ...row])).join('');
  const columns = EVENT_COLUMNS.join(', ');
  return CompiledQuery.raw(`${COPY_FROM_STDIN} copy events (${columns}) from stdin`, [data]);
}

/**
 * The events' rows in the order of `EVENT_COLUMNS` (after project_id), each under the user and
 * account the select resolved for it (`filed`, one entry per record).
 */
function eventRows(records: EventRecord[], filed: readonly Filed[]): ValuesRow[] {
  const fileOf = new Map(filed.map((entry) => [entry[0], entry]));
  return records.map((record) => {
    const [, user_id, account_id] = fileOf.get(record.message_id)!;
    return [
      record.timestamp,
      record.message_id,
      record.type,
      record.event,
      user_id,
      record.anonymous_id,
      account_id,
      JSON.stringify(record.properties),
      JSON.stringify(record.context),
      record.integrations === null ? null : JSON.stringify(record.integrations),
      record.original_timestamp,
      record.sent_at,
      record.received_at,
    ];
  });
}

/**
 * A record as the select reads it: what `ins` and `flush_links` take, without the context,
 * integrations and sender's times, which only the events keep (and the events insert takes
 * from the record itself).
 */
function asStepRow(record: EventRecord) {
  const row = asRow(record);
  for (const unread of [8, 9, 10, 12, 13]) row[unread] = null;
  return row;
}

const distributed = new WeakMap<Db, Promise<boolean>>();

/**
 * Whether `db` is distributed by Citus: asked once per database handle, at its first flush,
 * and again only if asking failed. A database distributed while a server runs keeps the one
 * statement until the server restarts; Citus runs it too, only slower.
 */
export function onCitus(db: Db): Promise<boolean> {
  let known = distributed.get(db);
  if (!known) {
    known = isDistributed(db);
    distributed.set(db, known);
    known.catch(() => distributed.delete(db));
  }
  return known;
}
