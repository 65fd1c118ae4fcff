import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { webhookIdParams } from '../webhooks.schemas.js';
import { deleteWebhook, requireWebhook } from '../webhooks.sql.js';

/** `DELETE /v1/webhooks/:webhookId`: unsubscribe, cancelling what was not yet sent. */
export function deleteWebhookRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/webhooks/:webhookId',
    auth: 'secret',
    summary: 'Unsubscribe; deliveries not yet sent are cancelled',
    tags: ['webhooks'],
    params: webhookIdParams,
    handler: async ({ params, projectId, reply }) => {
      await requireWebhook(db, projectId, params.webhookId);
      await deleteWebhook(db, projectId, params.webhookId);
      reply.code(204);
      return null;
    },
  });
}
