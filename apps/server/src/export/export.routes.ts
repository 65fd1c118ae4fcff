import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { defineRoute } from '../http/define-route.js';
import { textParam } from '../http/text-param.js';
import { instantSchema } from '../time/as-of.js';
import { decodeCursor, encodeCursor } from './event-cursor.js';
import { allEvents, type EventFilters, eventsPage } from './events-query.sql.js';
import { exportStream } from './export-stream.js';

const eventsQuerySchema = z.object({
  from: instantSchema.optional().describe('Events at or after this time'),
  to: instantSchema.optional().describe('Events before this time'),
  type: z.enum(['track', 'identify', 'group', 'page', 'screen', 'alias']).optional(),
  event: textParam().optional().describe('Track event (or page/screen) name'),
  accountId: textParam().optional(),
  userId: textParam().optional(),
  anonymousId: textParam().optional(),
  cursor: z.string().max(2_000).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(1_000).default(100).describe('Page size (JSON only)'),
  format: z
    .enum(['json', 'ndjson', 'csv'])
    .optional()
    .describe('Overrides the Accept header: a JSON page, or a stream of every matching event'),
});

const eventSchema = z.object({
  messageId: z.string(),
  timestamp: z.string(),
  type: z.string(),
  event: z.string().nullable(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  accountId: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  context: z.record(z.string(), z.unknown()),
  originalTimestamp: z.string().nullable(),
  sentAt: z.string().nullable(),
  receivedAt: z.string(),
});

const STREAMS = {
  ndjson: { type: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
} as const;

/** `format=`, else the Accept header: NDJSON or CSV stream, or a JSON page. */
function formatOf(format: string | undefined, accept: string | undefined) {
  if (format) return format as 'json' | 'ndjson' | 'csv';
  if (accept?.includes('application/x-ndjson')) return 'ndjson';
  if (accept?.includes('text/csv')) return 'csv';
  return 'json';
}

/**
 * The export context: `GET /v1/events`, a cursor-paginated JSON list, or with
 * `Accept: application/x-ndjson` / `text/csv` a stream of every matching event in constant
 * memory (keyset pages of the events primary key, written as the client reads).
 */
export async function exportRoutes(app: FastifyInstance) {
  const { db, engine } = app.services;
  // PGlite has one connection: smaller slices, so other requests' queries run between them.
  const slice = engine === 'pglite' ? 500 : 2_000;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/events',
    auth: 'secret',
    summary: 'Raw events: a JSON page, or an NDJSON/CSV export of any size',
    tags: ['export'],
    querystring: eventsQuerySchema,
    response: z.object({ data: z.array(eventSchema), nextCursor: z.string().nullable() }),
    handler: async ({ query, projectId, request, reply }) => {
      const { cursor, limit, format, ...filters } = query;
      if (filters.from && filters.to && filters.from >= filters.to) {
        throw new AppError('invalid_request', { message: 'from must be before to' });
      }
      const after = cursor ? decodeCursor(cursor) : null;
      if (cursor && !after) {
        throw new AppError('invalid_request', { message: 'cursor is not a cursor this API gave' });
      }
      const chosen = formatOf(format, request.headers.accept);
      if (chosen !== 'json') {
        const stream = STREAMS[chosen];
        const events = allEvents(db, projectId, filters satisfies EventFilters, after, slice);
        // The first slice is read before the 200: a database that is down at the start gets
        // the usual JSON error, not a stream that breaks at once.
        const first = await events.next();
        async function* all() {
          if (first.done) return;
          yield first.value;
          yield* events;
        }
        return reply
          .type(stream.type)
          .header('content-disposition', `attachment; filename="events.${stream.extension}"`)
          .send(exportStream(all(), chosen, reply));
      }
      const page = await eventsPage(db, projectId, filters, after, limit + 1);
      const data = page.slice(0, limit);
      const last = data.at(-1);
      return {
        data,
        nextCursor: page.length > limit && last ? encodeCursor(last) : null,
      };
    },
  });
}
