import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { urlRefusal, webhookCapRefusal } from '../webhook-targets.js';
import { createWebhookSchema, webhookSchema } from '../webhooks.schemas.js';
import { insertWebhook } from '../webhooks.sql.js';

/** `POST /v1/webhooks`: subscribe a URL; the signing secret is in this answer only. */
export function createWebhookRoute(app: FastifyInstance): void {
  const { db, config } = app.services;
  defineRoute(app, {
    method: 'POST',
    url: '/v1/webhooks',
    auth: 'secret',
    summary: 'Subscribe a URL to early warnings; the signing secret is shown once',
    tags: ['webhooks'],
    body: createWebhookSchema,
    response: webhookSchema.extend({ secret: z.string() }),
    handler: async ({ body, projectId, reply }) => {
      const refused = await urlRefusal(new URL(body.url), config.TENURE_WEBHOOK_PRIVATE_NETWORKS);
      if (refused) throw new AppError('webhook_target_not_public', { message: refused });
      const full = await webhookCapRefusal(db, projectId, config.TENURE_WEBHOOKS_PER_PROJECT);
      if (full) throw new AppError('too_many_webhooks', { message: full });
      const webhook = await insertWebhook(db, projectId, {
        id: `wh_${randomBytes(9).toString('base64url')}`,
        url: body.url,
        triggers: [...new Set(body.triggers)],
        scoreIncrease: body.scoreIncrease,
        format: body.format,
        secret: `whsec_${randomBytes(24).toString('base64url')}`,
      });
      reply.code(201);
      return webhook;
    },
  });
}
