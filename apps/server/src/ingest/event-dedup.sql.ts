import { sql } from 'kysely';
import { PROJECT, RECORDS } from './writer-parameters.js';

/**
 * The dedup step of the writer's statement, as its first CTEs: `input` (the flush's records),
 * `new_keys` (the keys `event_keys` accepted as new) and `fresh` (the records of those keys).
 * Everything after reads `fresh` only, so a retried batch inserts nothing and counts nothing:
 * dedup and rollups agree by construction.
 *
 * Ids are read in the byte collation of the columns they go to (see the byte-order-ids
 * migration), so that the statement's sorts and joins on them compare bytes too. The lookup
 * columns are the ids to resolve, null where the message carries what they would find: a null
 * key finds nothing in an index without probing it, so an event with its userId costs no
 * lookup in `identities`.
 */
export const EVENT_DEDUP = sql`
    input as (
      select (r ->> 0) collate "C" as message_id,
        r ->> 1 as type, r ->> 2 as event, (r ->> 3) collate "C" as user_id,
        (r ->> 4) collate "C" as anonymous_id, (r ->> 5) collate "C" as account_id,
        (r ->> 6) collate "C" as previous_id, (r ->> 7)::timestamptz as timestamp,
        (r ->> 8)::timestamptz as original_timestamp, (r ->> 9)::timestamptz as sent_at,
        (r ->> 10)::timestamptz as received_at, r -> 11 as properties, r -> 12 as context,
        nullif(r -> 13, 'null') as integrations
      from jsonb_array_elements(${RECORDS}) as rows(r)
    ),
    new_keys as (
      insert into event_keys (project_id, message_id)
      select ${PROJECT}, message_id from input order by 1, 2
      on conflict do nothing
      returning message_id
    ),
    fresh as (
      select input.*,
        case when input.user_id is null then input.anonymous_id end as anonymous_lookup
      from input join new_keys using (message_id)
    )`;
