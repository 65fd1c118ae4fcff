import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { webhookSchema } from '../webhooks.schemas.js';
import { listWebhooks } from '../webhooks.sql.js';

/** `GET /v1/webhooks`: the project's live subscriptions (never their secrets). */
export function listWebhooksRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/webhooks',
    auth: 'secret',
    summary: "The project's webhooks",
    tags: ['webhooks'],
    response: z.object({ webhooks: z.array(webhookSchema) }),
    handler: async ({ projectId }) => ({ webhooks: await listWebhooks(db, projectId) }),
  });
}
