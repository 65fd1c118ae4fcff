import { CompiledQuery, sql } from 'kysely';
import { isDistributed } from '../db/citus/citus-state.js';
import type { Db } from '../db/database.types.js';
import { fresh, INPUT, NEW_KEYS } from './event-dedup.sql.js';
import type { EventRecord } from './event-record.js';
import { AFTER_EVENTS, FLUSH_LINKS, INSERT_EVENTS, RESOLVE } from './resolve-events.sql.js';
import { COUNTED } from './rollups.sql.js';
import { asRow, type InsertedKey } from './writer-parameters.js';
import { asStatement, compiled, type WriterStep } from './writer-step.sql.js';

/**
 * The writer on a database distributed by Citus: the steps of the one statement
 * (write-events.sql.ts), each as a statement of its own, in one transaction.
 *
 * Why not the one statement: Citus 13 sends no statement with INSERT CTEs whole to a shard
 * ("Router planner doesn't support INSERT common table expressions"); it runs each CTE as a
 * distributed step of its own, pulling intermediate results through the coordinator (about
 * twenty steps a flush). Here every statement is a single `insert … select` whose select names
 * the project on every table it reads and takes project_id from the project's anchor row
 * (writer-step.sql.ts): Citus sends each whole to the project's shard, one task, no
 * intermediate result. The rows a step needs travel as its parameter instead of a CTE.
 *
 * Exactly once as on Postgres: dedup is the first statement, and the events and every rollup
 * are written from the records whose keys it accepted, in the same transaction, so a retry
 * after a failure or a resend finds its keys taken and counts nothing again.
 */

/**
 * The project's anchor row, where every statement below takes its project_id from: added once
 * per project and process (and again if it went missing).
 */
const ANCHOR_SQL = compiled(
  sql`insert into project_anchors (project_id) values (${sql.raw('$1::text')})
    on conflict do nothing`,
);
const ANCHOR_ADDED_SQL = `${ANCHOR_SQL} returning project_id`;

/** Dedup: the keys `event_keys` accepts as new (the records hold only their message id). */
const NEW_KEYS_SQL = compiled(asStatement(NEW_KEYS, INPUT, sql`returning message_id`));

/** The new events, resolved and filed (the records are the new ones only). */
const EVENTS_SQL = compiled(
  asStatement(
    INSERT_EVENTS,
    sql`${INPUT}, ${fresh('input')}, ${FLUSH_LINKS}, ${RESOLVE}`,
    sql`returning message_id, user_id, account_id`,
  ),
);

/**
 * `ins` as the steps after the events read it: the new records, their user and account as the
 * events statement resolved them.
 */
const INS = sql`
    ins as (
      select timestamp, message_id, type, event, user_id, account_id, properties from input
    )`;

/** The CTEs a step after the events reads, and nothing more. */
function sourcesOf(step: WriterStep) {
  if (step.reads === 'counted') return sql`${INPUT}, ${INS}, ${COUNTED}`;
  if (step.reads === 'flush_links') return sql`${INPUT}, ${fresh('input')}, ${FLUSH_LINKS}`;
  return sql`${INPUT}, ${INS}`;
}

const AFTER_EVENTS_SQL = new Map<WriterStep, string>(
  AFTER_EVENTS.map((step) => [step, compiled(asStatement(step, sourcesOf(step)))]),
);

/** Steps read first; all read `ins` (entities.sql.ts), so one set of CTEs serves them. */
const USUALLY_EMPTY = AFTER_EVENTS.filter((step) => step.usuallyEmpty && !step.reads);

/**
 * Which of the usually empty steps have rows to write: one select, which Citus plans as a
 * plain router query (far cheaper than an `insert … select`, whose planning visits every
 * shard of the target table). Skipping a step it finds empty is safe because those rows only
 * ever widen (first and last seen) or change with traits, which the step then has: a row this
 * read finds covering the flush still covers it when the transaction commits.
 */
const ROWS_TO_WRITE_SQL = compiled(sql`
    with ${INPUT}, ${INS}
    select ${sql.join(USUALLY_EMPTY.map((step) => sql`exists (${step.rows}) as ${sql.id(step.name)}`))}`);

/** Every statement the writer runs on Citus, by step: for the Citus lane's plan checks. */
export const CITUS_WRITER_SQL: Readonly<Record<string, string>> = {
  anchor: ANCHOR_SQL,
  anchor_added: ANCHOR_ADDED_SQL,
  rows_to_write: ROWS_TO_WRITE_SQL,
  [NEW_KEYS.name]: NEW_KEYS_SQL,
  [INSERT_EVENTS.name]: EVENTS_SQL,
  ...Object.fromEntries(AFTER_EVENTS.map((step) => [step.name, AFTER_EVENTS_SQL.get(step)!])),
};

interface ResolvedKey extends InsertedKey {
  user_id: string | null;
}

/**
 * Writes `records` (all of project `projectId`, each message id once) as the one statement
 * would, in one transaction of router-planned statements. A step no record can give a row
 * (no support ticket in the flush, say) is not sent, nor one whose rows are read to be none.
 */
export async function writeEventsOnCitus(
  db: Db,
  projectId: string,
  records: EventRecord[],
): Promise<InsertedKey[]> {
  const anchored = anchoredProjects(db);
  const inserted = await db.transaction().execute(async (tx) => {
    const run = async <R>(text: string, rows?: unknown[][]) =>
      (
        await tx.executeQuery<R>(
          CompiledQuery.raw(text, rows ? [projectId, JSON.stringify(rows)] : [projectId]),
        )
      ).rows;
    if (!anchored.has(projectId)) await run(ANCHOR_SQL);
    const ids = records.map((record) => [record.message_id]);
    let keys = await run<{ message_id: string }>(NEW_KEYS_SQL, ids);
    // No new key: every record is a duplicate, or the anchor row is gone (dedup then finds no
    // project_id to insert, so inserts nothing). Only then is the anchor checked, and dedup
    // run again if it had to be added.
    if (keys.length === 0 && (await run(ANCHOR_ADDED_SQL)).length > 0) {
      keys = await run<{ message_id: string }>(NEW_KEYS_SQL, ids);
    }
    if (keys.length === 0) return [];
    const accepted = new Set(keys.map((key) => key.message_id));
    const newRecords = records.filter((record) => accepted.has(record.message_id));
    const filed = await run<ResolvedKey>(EVENTS_SQL, newRecords.map(asRow));
    const fileOf = new Map(filed.map((key) => [key.message_id, key]));
    const resolved = newRecords.map((record) => {
      const file = fileOf.get(record.message_id)!;
      return { ...record, user_id: file.user_id, account_id: file.account_id };
    });
    const rows = resolved.map(asStepRow);
    const steps = AFTER_EVENTS.filter((step) => step.mayInsert(resolved));
    let empty = new Set<string>();
    if (steps.some((step) => step.usuallyEmpty)) {
      const [found] = await run<Record<string, boolean>>(ROWS_TO_WRITE_SQL, rows);
      empty = new Set(USUALLY_EMPTY.filter((step) => !found?.[step.name]).map((s) => s.name));
    }
    for (const step of steps) {
      if (!empty.has(step.name)) await run(AFTER_EVENTS_SQL.get(step)!, rows);
    }
    return filed.map(({ message_id, account_id }) => ({ message_id, account_id }));
  });
  // Committed: the anchor row is there (a rolled-back flush may have added it in vain).
  anchored.add(projectId);
  return inserted;
}

/**
 * A resolved record as the steps after the events read it: what `ins` and `flush_links` take,
 * without the context, integrations and sender's times, which only the events keep. Each step
 * is sent the rows, so what they leave out is not sent once a step.
 */
function asStepRow(record: EventRecord) {
  const row = asRow(record);
  for (const unread of [8, 9, 10, 12, 13]) row[unread] = null;
  return row;
}

/** The projects whose anchor row this process added or found, per database handle. */
const anchors = new WeakMap<Db, Set<string>>();

function anchoredProjects(db: Db): Set<string> {
  let known = anchors.get(db);
  if (!known) {
    known = new Set();
    anchors.set(db, known);
  }
  return known;
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
