import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { renderApiDocs } from '../http/api-docs-page.js';
import { defineRoute } from '../http/define-route.js';

/** Liveness, readiness, Prometheus metrics and the OpenAPI document. */
export async function opsRoutes(app: FastifyInstance) {
  const { db, metrics, openapi, writer, storage } = app.services;

  defineRoute(app, {
    method: 'GET',
    url: '/healthz',
    auth: 'none',
    summary: 'Liveness: the process answers',
    tags: ['operations'],
    response: z.object({ status: z.literal('ok') }),
    handler: async () => ({ status: 'ok' as const }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/readyz',
    auth: 'none',
    summary: 'Readiness: the database answers and the writer has room',
    tags: ['operations'],
    response: z.object({ status: z.literal('ready'), writerQueueDepth: z.number() }),
    handler: async () => {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw new AppError('storage_unavailable', { cause: error });
      }
      storage.reportSuccess();
      return { status: 'ready' as const, writerQueueDepth: writer.depth };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/metrics',
    auth: 'none',
    summary: 'Prometheus metrics',
    tags: ['operations'],
    produces: ['text/plain'],
    handler: async ({ reply }) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  });

  app.get('/openapi.json', async () => openapi.document(app.services.version));
  app.get('/docs', async (_request, reply) => {
    reply.type('text/html; charset=utf-8');
    return renderApiDocs(
      openapi.document(app.services.version) as Parameters<typeof renderApiDocs>[0],
    );
  });
}
