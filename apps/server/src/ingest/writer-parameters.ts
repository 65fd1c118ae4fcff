import { sql } from 'kysely';
import type { EventRecord } from './event-record.js';

/**
 * The writer's statement is text built once with two parameters, so that it is prepared once
 * per connection (db/preparing-client.ts) and every flush only binds them:
 * `$1`, the flush's project, and `$2`, its records as a JSON array of rows (write-events.sql.ts).
 *
 * Every table reference in the statement is pinned to `PROJECT`, not joined to it through
 * another table: Citus can then route the whole statement to the one node that holds the
 * project (docs/operations.md), and on any engine an index range starts at the project.
 */
export const PROJECT = sql.raw('$1::text');
export const RECORDS = sql.raw('$2::jsonb');

export interface InsertedKey {
  message_id: string;
  /** The account the event was stored under (resolved from its user when it named none). */
  account_id: string | null;
}

/**
 * A record as a JSON array, in the positions `input` reads. Arrays rather than objects: a
 * third less to serialize, send and parse, since no key is repeated per event.
 */
export function asRow(record: EventRecord) {
  return [
    record.message_id,
    record.type,
    record.event,
    record.user_id,
    record.anonymous_id,
    record.account_id,
    record.previous_id,
    record.timestamp,
    record.original_timestamp,
    record.sent_at,
    record.received_at,
    record.properties,
    record.context,
    record.integrations,
  ];
}
