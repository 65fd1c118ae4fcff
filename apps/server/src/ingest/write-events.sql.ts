import { CompiledQuery, sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { onCitus, writeEventsOnCitus } from './citus-writer.sql.js';
import { fresh, INPUT, NEW_KEYS } from './event-dedup.sql.js';
import type { EventRecord } from './event-record.js';
import { AFTER_EVENTS, FLUSH_LINKS, INSERT_EVENTS, RESOLVE } from './resolve-events.sql.js';
import { COUNTED } from './rollups.sql.js';
import { asRow, type InsertedKey } from './writer-parameters.js';
import { asCte, compiled } from './writer-step.sql.js';

export type { InsertedKey } from './writer-parameters.js';

/**
 * On Postgres and PGlite, the writer's one statement: one project's events and every rollup,
 * hence one transaction (the writer flushes per project, write-lane.ts). Dedup and rollups
 * agree by construction: rollups are computed only from the rows that `event_keys` accepted as
 * new, so a retried batch inserts nothing and counts nothing.
 *
 * The text is built once, here: the project and the records are its two parameters, so it is
 * prepared once per connection. Every table it reads is pinned to the project, so its lookups
 * stay in that project's index ranges.
 *
 * It returns the new keys from `ins`, not `new_keys`: every new key is inserted into events
 * (the joins after `fresh` are on unique keys, so one row each), and `ins` has the account each
 * event was filed under, resolved from its user when it named none. The score keeper re-scores
 * those accounts after the commit.
 */
export const WRITE_EVENTS_SQL = compiled(sql`
    with ${INPUT},
    ${asCte(NEW_KEYS, sql`returning message_id`)},
    ${fresh('new keys')},
    ${FLUSH_LINKS},
    ${RESOLVE},
    ${asCte(INSERT_EVENTS, sql`returning timestamp, message_id, type, event, user_id, account_id, properties`)},
    ${COUNTED},
    ${sql.join(AFTER_EVENTS.map((step) => asCte(step)))}
    select message_id, account_id from ins`);

/**
 * Writes `records`, all of project `projectId`. Returns the keys that were new, each with the
 * account its event was stored under; the rest were duplicates. On a database distributed by
 * Citus the same steps run as statements of one transaction (citus-writer.sql.ts).
 */
export async function writeEvents(
  db: Db,
  projectId: string,
  records: EventRecord[],
): Promise<InsertedKey[]> {
  if (records.length === 0) return [];
  if (await onCitus(db)) return writeEventsOnCitus(db, projectId, records);
  const rows = JSON.stringify(records.map(asRow));
  const result = await db.executeQuery<InsertedKey>(
    CompiledQuery.raw(WRITE_EVENTS_SQL, [projectId, rows]),
  );
  return result.rows;
}
