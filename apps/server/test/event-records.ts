import type { EventRecord } from '../src/ingest/event-record.js';

/**
 * A stored-form `track` record for tests that call the writer directly: project `prj_1`, user
 * `ann` of account `acme`, a login; `fields` override any of it.
 */
export function trackRecord(
  fields: Partial<EventRecord> & Pick<EventRecord, 'message_id' | 'timestamp'>,
): EventRecord {
  return {
    project_id: 'prj_1',
    type: 'track',
    event: 'login',
    user_id: 'ann',
    anonymous_id: null,
    account_id: 'acme',
    previous_id: null,
    original_timestamp: fields.timestamp,
    sent_at: null,
    received_at: fields.timestamp,
    properties: {},
    context: {},
    integrations: null,
    ...fields,
  };
}
