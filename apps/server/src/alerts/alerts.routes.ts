import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { defineRoute } from '../http/define-route.js';
import { textParam } from '../http/text-param.js';
import { type TestPayload, testMessage } from './alert-payload.js';
import { DELIVERY_DEFAULTS, deliverDue, failureOf, sendSigned } from './deliver-webhooks.js';
import { detectTransitions } from './detect-transitions.js';
import { urlRefusal } from './webhook-targets.js';

const TRIGGERS = ['tier_worsened', 'score_increased', 'inactive', 'milestone_reached'] as const;

// Strict: a client that sends `secret` (or misspells `triggers`) must hear that it was not used.
const createSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    // Control characters (NUL above all: Postgres text cannot hold it) have no place in a URL.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is refused
    .refine((url) => !/[\u0000-\u001f\u007f]/.test(url), {
      message: 'Must not contain control characters',
    })
    // Stored as the WHATWG parser writes it (host lower-cased, non-ASCII percent-encoded),
    // which is what deliveries will request.
    .transform((url) => new URL(url).href)
    .describe('Where notifications are POSTed'),
  triggers: z
    .array(z.enum(TRIGGERS))
    .min(1)
    .default([...TRIGGERS]),
  scoreIncrease: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('score_increased fires when the score rises by at least this many points'),
  format: z.enum(['json', 'slack']).default('json'),
});

const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  triggers: z.array(z.enum(TRIGGERS)),
  scoreIncrease: z.number(),
  format: z.enum(['json', 'slack']),
  createdAt: z.string(),
});

const idParams = z.object({ webhookId: textParam(100) });

interface WebhookRow {
  id: string;
  url: string;
  triggers: (typeof TRIGGERS)[number][];
  score_increase: number;
  format: 'json' | 'slack';
  created_at: Date;
}

const describe = (row: WebhookRow) => ({
  id: row.id,
  url: row.url,
  triggers: row.triggers,
  scoreIncrease: row.score_increase,
  format: row.format,
  createdAt: new Date(row.created_at).toISOString(),
});

/** How often risk is re-checked for transitions, and due deliveries are sent. */
const DETECTION_MS = 60_000;
const DELIVERY_MS = 5_000;

/**
 * The early-warning context: webhook subscriptions, transition detection into a Postgres
 * outbox, and signed delivery with retries (docs/webhooks.md).
 */
export async function alertsRoutes(app: FastifyInstance) {
  const { db, scheduler, config, metrics } = app.services;
  const jobsOn = config.TENURE_JOBS_INTERVAL_MINUTES > 0;
  const privateNetworks = config.TENURE_WEBHOOK_PRIVATE_NETWORKS;

  scheduler.add({
    name: 'alert-detection',
    intervalMs: jobsOn ? DETECTION_MS : 0,
    run: async () => {
      const projects = await db
        .selectFrom('webhooks')
        .select('project_id')
        .distinct()
        .where('deleted_at', 'is', null)
        .execute();
      for (const { project_id } of projects) {
        try {
          await detectTransitions(db, project_id);
        } catch (error) {
          app.log.error({ err: error, projectId: project_id }, 'alert detection failed');
        }
      }
    },
  });
  scheduler.add({
    name: 'webhook-delivery',
    intervalMs: jobsOn ? DELIVERY_MS : 0,
    run: async () => {
      const round = await deliverDue(db, { privateNetworks });
      for (const [outcome, attempts] of Object.entries(round)) {
        metrics.webhookAttempts.inc({ outcome }, attempts);
      }
    },
  });

  /** A live webhook's target (url, secret, format); a 404 when the project has none by that id. */
  async function requireWebhook(projectId: string, webhookId: string) {
    const row = await db
      .selectFrom('webhooks')
      .select(['url', 'secret', 'format'])
      .where('project_id', '=', projectId)
      .where('id', '=', webhookId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row)
      throw new AppError('not_found', { message: `No webhook ${webhookId} in this project` });
    return row;
  }

  defineRoute(app, {
    method: 'POST',
    url: '/v1/webhooks',
    auth: 'secret',
    summary: 'Subscribe a URL to early warnings; the signing secret is shown once',
    tags: ['webhooks'],
    body: createSchema,
    response: webhookSchema.extend({ secret: z.string() }),
    handler: async ({ body, projectId, reply }) => {
      const refused = await urlRefusal(new URL(body.url), privateNetworks);
      if (refused) throw new AppError('webhook_target_not_public', { message: refused });
      const row = await db
        .insertInto('webhooks')
        .values({
          project_id: projectId,
          id: `wh_${randomBytes(9).toString('base64url')}`,
          url: body.url,
          triggers: [...new Set(body.triggers)],
          score_increase: body.scoreIncrease,
          format: body.format,
          secret: `whsec_${randomBytes(24).toString('base64url')}`,
          deleted_at: null,
        })
        .returning(['id', 'url', 'triggers', 'score_increase', 'format', 'created_at', 'secret'])
        .executeTakeFirstOrThrow();
      reply.code(201);
      return { ...describe(row), secret: row.secret };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/webhooks',
    auth: 'secret',
    summary: "The project's webhooks",
    tags: ['webhooks'],
    response: z.object({ webhooks: z.array(webhookSchema) }),
    handler: async ({ projectId }) => {
      const rows = await db
        .selectFrom('webhooks')
        .select(['id', 'url', 'triggers', 'score_increase', 'format', 'created_at'])
        .where('project_id', '=', projectId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .execute();
      return { webhooks: rows.map(describe) };
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/webhooks/:webhookId',
    auth: 'secret',
    summary: 'Unsubscribe; deliveries not yet sent are cancelled',
    tags: ['webhooks'],
    params: idParams,
    handler: async ({ params, projectId, reply }) => {
      await requireWebhook(projectId, params.webhookId);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('webhooks')
          .set({ deleted_at: new Date() })
          .where('project_id', '=', projectId)
          .where('id', '=', params.webhookId)
          .execute();
        await tx
          .updateTable('webhook_deliveries')
          .set({ status: 'cancelled' })
          .where('project_id', '=', projectId)
          .where('webhook_id', '=', params.webhookId)
          .where('status', '=', 'pending')
          .execute();
      });
      reply.code(204);
      return null;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/webhooks/:webhookId/test',
    auth: 'secret',
    summary: 'Send a signed test notification now, and answer how the receiver took it',
    tags: ['webhooks'],
    params: idParams,
    response: z.object({
      delivered: z.boolean(),
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
    }),
    handler: async ({ params, projectId }) => {
      const webhook = await requireWebhook(projectId, params.webhookId);
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
        { timeoutMs: DELIVERY_DEFAULTS.timeoutMs, privateNetworks },
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

  defineRoute(app, {
    method: 'GET',
    url: '/v1/webhooks/:webhookId/deliveries',
    auth: 'secret',
    summary: "A webhook's deliveries, newest first, with every attempt",
    tags: ['webhooks'],
    params: idParams,
    querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    handler: async ({ params, query, projectId }) => {
      await requireWebhook(projectId, params.webhookId);
      const deliveries = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('webhook_id', '=', params.webhookId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(query.limit)
        .execute();
      const attempts = deliveries.length
        ? await db
            .selectFrom('webhook_attempts')
            .selectAll()
            .where('project_id', '=', projectId)
            .where(
              'delivery_id',
              'in',
              deliveries.map((delivery) => delivery.id),
            )
            .orderBy('attempt')
            .execute()
        : [];
      return {
        deliveries: deliveries.map((delivery) => ({
          id: delivery.id,
          kind: delivery.kind,
          accountId: delivery.account_id,
          status: delivery.status,
          createdAt: new Date(delivery.created_at).toISOString(),
          deliveredAt: delivery.delivered_at && new Date(delivery.delivered_at).toISOString(),
          nextAttemptAt:
            delivery.status === 'pending' ? new Date(delivery.next_attempt_at).toISOString() : null,
          lastError: delivery.last_error,
          payload: delivery.payload,
          attempts: attempts
            .filter((attempt) => attempt.delivery_id === delivery.id)
            .map((attempt) => ({
              attempt: attempt.attempt,
              at: new Date(attempt.attempted_at).toISOString(),
              statusCode: attempt.status_code,
              error: attempt.error,
              durationMs: attempt.duration_ms,
            })),
        })),
      };
    },
  });
}
