import type { ExportedEvent } from './events-query.sql.js';

export const CSV_COLUMNS = [
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
] as const;

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRow(event: ExportedEvent): string {
  const fields = [
    event.messageId,
    event.timestamp,
    event.type,
    event.event,
    event.userId,
    event.anonymousId,
    event.accountId,
    JSON.stringify(event.properties),
    JSON.stringify(event.context),
    event.originalTimestamp,
    event.sentAt,
    event.receivedAt,
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The events as lines of text in `format`, a header first for CSV. */
export async function* formatEvents(
  events: AsyncIterable<ExportedEvent>,
  format: 'ndjson' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
  let chunk = '';
  for await (const event of events) {
    chunk += format === 'csv' ? csvRow(event) : `${JSON.stringify(event)}\n`;
    // Fewer, larger writes: one per ~64 KB rather than one per event.
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
