import { CompiledQuery, createQueryId, PostgresQueryCompiler, sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { PREPARED } from '../db/preparing-client.js';
import { ENTITIES } from './entities.sql.js';
import { EVENT_DEDUP } from './event-dedup.sql.js';
import type { EventRecord } from './event-record.js';
import { ROLLUPS } from './rollups.sql.js';
import { PROJECT } from './writer-parameters.js';

export interface InsertedKey {
  message_id: string;
  /** The account the event was stored under (resolved from its user when it named none). */
  account_id: string | null;
}

/**
 * Identity resolution and the events themselves, between the dedup CTEs (event-dedup.sql.ts)
 * and the rollups and entities that count `ins`. Lookups are left joins on unique keys, not
 * correlated subqueries (Citus plans no correlated subquery over a CTE), each pinned to the
 * project, and each keyed by a lookup column that is null where the message carries the id.
 */
const RESOLVE_AND_INSERT = sql`
    -- identify (anonymousId + userId) and alias (previousId -> userId) calls of this flush
    -- resolve its anonymous events too, not only later flushes'.
    flush_links as (
      select distinct on (coalesce(previous_id, anonymous_id))
        coalesce(previous_id, anonymous_id) as anonymous_id, user_id, timestamp as linked_at
      from fresh
      where user_id is not null
        and (type = 'alias' or (type = 'identify' and anonymous_id is not null))
      order by coalesce(previous_id, anonymous_id), timestamp desc
    ),
    -- A group call moves its user to the account before the flush's other events are
    -- attributed, so "identify, group, track" in one batch lands on the account.
    flush_group as (
      select distinct on (user_id) user_id, account_id
      from fresh where type = 'group' and user_id is not null
      order by user_id, timestamp desc
    ),
    resolved as (
      select f.*, coalesce(f.user_id, fl.user_id, idn.user_id) as resolved_user_id
      from fresh f
      left join flush_links fl on fl.anonymous_id = f.anonymous_lookup
      left join identities idn on idn.project_id = ${PROJECT}
        and idn.anonymous_id = f.anonymous_lookup
    ),
    attributed as (
      select r.*, case when r.account_id is null then r.resolved_user_id end as account_lookup
      from resolved r
    ),
    ins as (
      insert into events (project_id, timestamp, message_id, type, event, user_id, anonymous_id,
        account_id, properties, context, integrations, original_timestamp, sent_at, received_at)
      select ${PROJECT}, a.timestamp, a.message_id, a.type, a.event, a.resolved_user_id,
        a.anonymous_id, coalesce(a.account_id, fg.account_id, u.account_id),
        a.properties, a.context, a.integrations, a.original_timestamp, a.sent_at, a.received_at
      from attributed a
      left join flush_group fg on fg.user_id = a.account_lookup
      left join users u on u.project_id = ${PROJECT} and u.user_id = a.account_lookup
      returning timestamp, message_id, type, event, user_id, account_id, properties
    )`;

/**
 * Writes one project's events and every rollup in one statement, hence one transaction (the
 * writer flushes per project, write-lane.ts). Dedup and rollups agree by construction: rollups
 * are computed only from the rows that `event_keys` accepted as new, so a retried batch
 * inserts nothing and counts nothing.
 *
 * The text is built once, here: the project and the records are its two parameters, so it is
 * prepared once per connection. Every table it reads or writes is pinned to the project, so on
 * Citus it is router-planned: sent whole to the node that holds the project.
 *
 * It returns the new keys from `ins`, not `new_keys`: every new key is inserted into events
 * (the joins after `fresh` are on unique keys, so one row each), and `ins` has the account each
 * event was filed under, resolved from its user when it named none. The score keeper re-scores
 * those accounts after the commit.
 */
export const WRITE_EVENTS_SQL = new PostgresQueryCompiler().compileQuery(
  sql`${sql.raw(PREPARED)}
    with ${EVENT_DEDUP},
    ${RESOLVE_AND_INSERT},
    ${ROLLUPS},
    ${ENTITIES}
    select message_id, account_id from ins`.toOperationNode(),
  createQueryId(),
).sql;

/**
 * Writes `records`, all of project `projectId`. Returns the keys that were new, each with the
 * account its event was stored under; the rest were duplicates.
 */
export async function writeEvents(
  db: Db,
  projectId: string,
  records: EventRecord[],
): Promise<InsertedKey[]> {
  if (records.length === 0) return [];
  const rows = JSON.stringify(records.map(asRow));
  const result = await db.executeQuery<InsertedKey>(
    CompiledQuery.raw(WRITE_EVENTS_SQL, [projectId, rows]),
  );
  return result.rows;
}

/**
 * A record as a JSON array, in the positions the statement's `input` reads. Arrays rather than
 * objects: a third less to serialize, send and parse, since no key is repeated per event.
 */
function asRow(record: EventRecord) {
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
