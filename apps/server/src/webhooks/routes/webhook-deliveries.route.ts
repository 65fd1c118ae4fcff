import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { webhookIdParams } from '../webhooks.schemas.js';
import { listDeliveries, requireWebhook } from '../webhooks.sql.js';

/** `GET /v1/webhooks/:webhookId/deliveries`: the outbox as a receiver's owner debugs it. */
export function webhookDeliveriesRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/webhooks/:webhookId/deliveries',
    auth: 'secret',
    summary: "A webhook's deliveries, newest first, with every attempt",
    tags: ['webhooks'],
    params: webhookIdParams,
    querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    handler: async ({ params, query, projectId }) => {
      await requireWebhook(db, projectId, params.webhookId);
      return { deliveries: await listDeliveries(db, projectId, params.webhookId, query.limit) };
    },
  });
}
