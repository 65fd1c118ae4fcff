import { sql } from 'kysely';
import { RECORDS } from './writer-parameters.js';
import type { WriterStep } from './writer-step.sql.js';

/**
 * `input`: the flush's records, from the JSON rows of the statement's second parameter.
 *
 * Ids are read in the byte collation of the columns they go to (see the byte-order-ids
 * migration), so that the statement's sorts and joins on them compare bytes too.
 */
export const INPUT = sql`
    input as (
      select (r ->> 0) collate "C" as message_id,
        r ->> 1 as type, r ->> 2 as event, (r ->> 3) collate "C" as user_id,
        (r ->> 4) collate "C" as anonymous_id, (r ->> 5) collate "C" as account_id,
        (r ->> 6) collate "C" as previous_id, (r ->> 7)::timestamptz as timestamp,
        (r ->> 8)::timestamptz as original_timestamp, (r ->> 9)::timestamptz as sent_at,
        (r ->> 10)::timestamptz as received_at, r -> 11 as properties, r -> 12 as context,
        nullif(r -> 13, 'null') as integrations
      from jsonb_array_elements(${RECORDS}) as rows(r)
    )`;

/**
 * The dedup step: `new_keys`, the keys of `input` that `event_keys` accepted as new. Everything
 * after reads only the records of those keys, so a retried batch inserts nothing and counts
 * nothing: dedup and rollups agree by construction.
 */
export const NEW_KEYS: WriterStep = {
  name: 'new_keys',
  target: sql`event_keys (project_id, message_id)`,
  rows: sql`select message_id from input`,
  keyOrder: [1, 2],
  onConflict: sql`on conflict do nothing`,
};

/**
 * `fresh`: the records the steps after dedup write, with their lookup column: the anonymous id
 * to resolve, null where the message carries its user id (a null key finds nothing in an
 * index without probing it, so an event with its userId costs no lookup in `identities`).
 * `from` is `input join new_keys using (message_id)` in the one statement; on Citus, where
 * dedup is a statement of its own, `input` holds only the new records already.
 */
export function fresh(from: 'new keys' | 'input') {
  const source = from === 'new keys' ? sql`input join new_keys using (message_id)` : sql`input`;
  return sql`
    fresh as (
      select input.*,
        case when input.user_id is null then input.anonymous_id end as anonymous_lookup
      from ${source}
    )`;
}
