import type { Db } from '../db/database.types.js';
import type { EventPosition } from './event-cursor.js';

export interface EventFilters {
  from?: Date | undefined;
  to?: Date | undefined;
  type?: string | undefined;
  event?: string | undefined;
  accountId?: string | undefined;
  userId?: string | undefined;
  anonymousId?: string | undefined;
}

/** An event as the export API gives it. */
export interface ExportedEvent {
  messageId: string;
  timestamp: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  accountId: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  originalTimestamp: string | null;
  sentAt: string | null;
  receivedAt: string;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * One page of the project's events matching `filters`, in (timestamp, message id) order after
 * `after`. Keyset pagination on the events primary key: a page costs the same wherever it is,
 * and pages never skip or repeat an event.
 */
export async function eventsPage(
  db: Db,
  projectId: string,
  filters: EventFilters,
  after: EventPosition | null,
  limit: number,
): Promise<ExportedEvent[]> {
  let query = db
    .selectFrom('events')
    .select([
      'message_id',
      'timestamp',
      'type',
      'event',
      'user_id',
      'anonymous_id',
      'account_id',
      'properties',
      'context',
      'original_timestamp',
      'sent_at',
      'received_at',
    ])
    .where('project_id', '=', projectId);
  if (filters.from) query = query.where('timestamp', '>=', filters.from);
  if (filters.to) query = query.where('timestamp', '<', filters.to);
  if (filters.type) query = query.where('type', '=', filters.type);
  if (filters.event) query = query.where('event', '=', filters.event);
  if (filters.accountId) query = query.where('account_id', '=', filters.accountId);
  if (filters.userId) query = query.where('user_id', '=', filters.userId);
  if (filters.anonymousId) query = query.where('anonymous_id', '=', filters.anonymousId);
  if (after) {
    const timestamp = new Date(after.timestamp);
    query = query.where((eb) =>
      eb.or([
        eb('timestamp', '>', timestamp),
        eb.and([eb('timestamp', '=', timestamp), eb('message_id', '>', after.messageId)]),
      ]),
    );
  }
  const rows = await query.orderBy('timestamp').orderBy('message_id').limit(limit).execute();
  return rows.map((row) => ({
    messageId: row.message_id,
    timestamp: iso(row.timestamp)!,
    type: row.type,
    event: row.event,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    accountId: row.account_id,
    properties: row.properties,
    context: row.context,
    originalTimestamp: iso(row.original_timestamp),
    sentAt: iso(row.sent_at),
    receivedAt: iso(row.received_at)!,
  }));
}

/**
 * Every matching event after `start`, page by page, for streaming: memory holds one page at a time, and a
 * consumer that stops (a client that went away) stops the reads. Between pages it yields to the
 * event loop, so on the single-connection PGlite other requests' queries run between slices of
 * a long export instead of waiting for all of it.
 */
export async function* allEvents(
  db: Db,
  projectId: string,
  filters: EventFilters,
  start: EventPosition | null = null,
  pageSize = 2_000,
): AsyncGenerator<ExportedEvent> {
  let after = start;
  for (;;) {
    const page = await eventsPage(db, projectId, filters, after, pageSize);
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = { timestamp: last.timestamp, messageId: last.messageId };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
