import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ExportedEvent } from './events-query.sql.js';
import { formatEvents } from './export-formats.js';

/** The last NDJSON line of a complete export: no event has an `exportComplete` field. */
export const completeLine = (count: number) =>
  `${JSON.stringify({ exportComplete: true, count })}\n`;

/** HTTP trailer with the event count, sent only when the export completed (both formats). */
export const COUNT_TRAILER = 'tenure-export-count';

/**
 * An export's body. A complete NDJSON export ends with `{"exportComplete":true,"count":N}` and
 * both formats end with a `Tenure-Export-Count` trailer. When reading fails part-way (the
 * database went away), the connection is destroyed instead of ended: the chunked body has no
 * terminating chunk, so every HTTP client reports an error rather than a short, clean file.
 * (A 200 with the CSV header alone and the error in the server log fooled scripts before.)
 */
export function exportStream(
  events: AsyncIterable<ExportedEvent>,
  format: 'ndjson' | 'csv',
  reply: FastifyReply,
): Readable {
  let count = 0;
  let complete = false;
  async function* counted() {
    for await (const event of events) {
      count += 1;
      yield event;
    }
  }
  async function* body() {
    try {
      yield* formatEvents(counted(), format);
      if (format === 'ndjson') yield completeLine(count);
      complete = true;
    } catch (error) {
      reply.log.error({ err: error, exported: count }, 'export failed part-way: connection reset');
      reply.raw.destroy(error as Error);
      throw error;
    }
  }
  reply.trailer(COUNT_TRAILER, async () => (complete ? String(count) : 'incomplete'));
  return Readable.from(body());
}
