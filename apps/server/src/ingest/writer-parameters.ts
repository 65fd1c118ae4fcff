import { sql } from 'kysely';
import type { EventRecord } from './event-record.js';

/**
 * The writer's statements are text built once with two parameters, so that each is prepared
 * once per connection (db/preparing-client.ts) and every flush only binds them: `$1`, the
 * flush's project, and `$2`, its records as a JSON array of rows (`asRow`).
 *
 * Every table reference is pinned to `PROJECT`, not joined to it through another table: on any
 * engine an index range starts at the project, and on Citus each statement is sent whole to the
 * one shard that holds the project (citus-writer.sql.ts, docs/operations.md).
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
