import type { ColumnType, Selectable } from 'kysely';

type Json = ColumnType<Record<string, unknown>, string, string>;

/** Raw events, partitioned by month on `timestamp`. Written only by the ingest writer. */
export interface EventsTable {
  project_id: string;
  timestamp: Date;
  message_id: string;
  type: string;
  /** The track event name, or the page/screen name. */
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  account_id: string | null;
  /** `properties` of track/page/screen, `traits` of identify/group. */
  properties: Json;
  context: Json;
  integrations: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  original_timestamp: Date | null;
  sent_at: Date | null;
  received_at: Date;
}

export interface EventKeysTable {
  project_id: string;
  message_id: string;
}

export type StoredEvent = Selectable<EventsTable>;
