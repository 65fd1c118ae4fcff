import {
  batchEnvelopeSchema,
  type IngestResult,
  LIMITS,
  MESSAGE_TYPES,
  type MessageType,
  messageSchemas,
} from '@tenure/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticateWrite } from '../auth/authenticate.js';
import { AppError } from '../errors/app-error.js';
import { decodeUtf8 } from '../http/utf8-body.js';
import { gunzipBody } from './gunzip-body.js';
import { storeBatch } from './store-batch.js';

const ingestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(
    z.object({
      index: z.number().int(),
      messageId: z.string().nullable(),
      code: z.string(),
      message: z.string(),
      path: z.string().nullable(),
    }),
  ),
  ignoredTraits: z
    .array(
      z.object({
        index: z.number().int(),
        messageId: z.string().nullable(),
        code: z.literal('forbidden_for_public_key'),
        traits: z.array(z.string()),
      }),
    )
    .optional(),
});

/**
 * The Segment-compatible ingestion API. Any content type is read as JSON (sendBeacon sends
 * text/plain to avoid a CORS preflight), gzip bodies are inflated, and a 2xx is sent only after
 * the request's events are committed.
 */
export async function ingestRoutes(app: FastifyInstance) {
  const { writer, rateLimiter, keys, metrics, openapi } = app.services;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string;
    try {
      text = decodeUtf8(body as Buffer);
    } catch (error) {
      return done(error as AppError, undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError('malformed_json'), undefined);
    }
  });
  app.addHook('preParsing', gunzipBody);

  async function ingest(request: FastifyRequest, body: unknown): Promise<IngestResult> {
    const owner = await authenticateWrite(request, keys);
    const result = await storeBatch(writer, owner.projectId, owner.scope, body, (events) => {
      const rate = rateLimiter.take(owner.projectId, events);
      if (!rate.ok) {
        throw new AppError('rate_limited', { retryAfterSeconds: rate.retryAfterSeconds });
      }
    });
    metrics.eventsAccepted.inc(result.accepted);
    metrics.eventsDuplicate.inc(result.duplicates);
    for (const { code } of result.rejected) metrics.eventsRejected.inc({ code });
    return result;
  }

  for (const url of ['/v1/batch', '/v1/b']) {
    openapi.add({
      method: 'POST',
      url,
      summary: 'Send a batch of messages (Segment HTTP Tracking API)',
      tags: ['ingestion'],
      auth: 'write',
      body: batchEnvelopeSchema,
      response: ingestResultSchema,
    });
    app.post(url, { bodyLimit: LIMITS.maxRequestBytes }, (request) =>
      ingest(request, request.body),
    );
  }

  for (const type of MESSAGE_TYPES) {
    const url = `/v1/${type}`;
    openapi.add({
      method: 'POST',
      url,
      summary: `Send one ${type} message`,
      tags: ['ingestion'],
      auth: 'write',
      body: messageSchemas[type],
      response: ingestResultSchema,
    });
    const handler = async (request: FastifyRequest) => {
      const message = asMessage(request.body, type);
      const result = await ingest(request, { batch: [message] });
      const [refusal] = result.rejected;
      if (refusal) {
        const code = refusal.code === 'forbidden_for_public_key' ? refusal.code : 'invalid_event';
        throw new AppError(code, { message: refusal.message, details: refusal });
      }
      return result;
    };
    app.post(url, { bodyLimit: LIMITS.maxRequestBytes }, handler);
    // Segment's analytics.js (analytics-next) posts each call to the type's first letter:
    // /v1/t, /v1/i, /v1/g, /v1/p, /v1/s, /v1/a. Pointed at Tenure, it works unchanged.
    app.post(`/v1/${type.charAt(0)}`, { bodyLimit: LIMITS.maxRequestBytes }, handler);
  }

  // analytics.js also posts its own usage counters (`analytics_js.invoke`, …) to /v1/m every
  // 30 s. They are not events and carry no key: they are dropped, answered 204 so that the page
  // logs no failed request.
  app.post('/v1/m', { bodyLimit: LIMITS.maxRequestBytes }, async (_request, reply) =>
    reply.code(204).send(),
  );
}

/** A single-message endpoint's body is the message; its type comes from the path. */
function asMessage(body: unknown, type: MessageType) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_event', { message: 'The body must be a JSON object' });
  }
  const { writeKey: _writeKey, ...message } = body as Record<string, unknown>;
  return { ...message, type };
}
