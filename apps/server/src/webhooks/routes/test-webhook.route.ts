import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type TestPayload, testMessage } from '../../alerts/alert-payload.js';
import { defineRoute } from '../../http/define-route.js';
import { DELIVERY_DEFAULTS, failureOf, sendSigned } from '../deliver-webhooks.js';
import { webhookIdParams } from '../webhooks.schemas.js';
import { requireWebhook } from '../webhooks.sql.js';

/** `POST /v1/webhooks/:webhookId/test`: a signed test notification, sent now, outside the outbox. */
export function testWebhookRoute(app: FastifyInstance): void {
  const { db, config } = app.services;
  defineRoute(app, {
    method: 'POST',
    url: '/v1/webhooks/:webhookId/test',
    auth: 'secret',
    summary: 'Send a signed test notification now, and answer how the receiver took it',
    tags: ['webhooks'],
    params: webhookIdParams,
    response: z.object({
      delivered: z.boolean(),
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
    }),
    handler: async ({ params, projectId }) => {
      const webhook = await requireWebhook(db, projectId, params.webhookId);
      const payload: TestPayload = {
        id: `test_${randomBytes(9).toString('base64url')}`,
        type: 'webhook.test',
        projectId,
        webhookId: params.webhookId,
        occurredAt: new Date().toISOString(),
      };
      const outcome = await sendSigned(
        webhook,
        {
          id: payload.id,
          kind: payload.type,
          body: JSON.stringify(testMessage(payload, webhook.format)),
        },
        {
          timeoutMs: DELIVERY_DEFAULTS.timeoutMs,
          privateNetworks: config.TENURE_WEBHOOK_PRIVATE_NETWORKS,
        },
      );
      const error = failureOf(outcome);
      return {
        delivered: error === null,
        statusCode: outcome.status,
        error,
        durationMs: Math.round(outcome.ms),
      };
    },
  });
}
