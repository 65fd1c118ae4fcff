import type { z } from 'zod';
import type { Db } from '../db/database.types.js';
import type { WebhooksTable } from '../db/tables/alerts.table.js';
import { AppError } from '../errors/app-error.js';
import type { webhookSchema } from './webhooks.schemas.js';

export type Webhook = z.infer<typeof webhookSchema>;

interface WebhookRow {
  id: string;
  url: string;
  triggers: WebhooksTable['triggers'];
  score_increase: number;
  format: 'json' | 'slack';
  created_at: Date;
}

const WEBHOOK_COLUMNS = [
  'id',
  'url',
  'triggers',
  'score_increase',
  'format',
  'created_at',
] as const;

const webhookOf = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  triggers: row.triggers,
  scoreIncrease: row.score_increase,
  format: row.format,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Stores a subscription; returns it with its secret, which is shown only this once. */
export async function insertWebhook(
  db: Db,
  projectId: string,
  webhook: Omit<Webhook, 'createdAt'> & { secret: string },
): Promise<Webhook & { secret: string }> {
  const row = await db
    .insertInto('webhooks')
    .values({
      project_id: projectId,
      id: webhook.id,
      url: webhook.url,
      triggers: webhook.triggers,
      score_increase: webhook.scoreIncrease,
      format: webhook.format,
      secret: webhook.secret,
      deleted_at: null,
    })
    .returning([...WEBHOOK_COLUMNS, 'secret'])
    .executeTakeFirstOrThrow();
  return { ...webhookOf(row), secret: row.secret };
}

/** The project's live webhooks, oldest first. */
export async function listWebhooks(db: Db, projectId: string): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select([...WEBHOOK_COLUMNS])
    .where('project_id', '=', projectId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(webhookOf);
}

/** A live webhook's target (url, secret, format); a 404 when the project has none by that id. */
export async function requireWebhook(db: Db, projectId: string, webhookId: string) {
  const row = await db
    .selectFrom('webhooks')
    .select(['url', 'secret', 'format'])
    .where('project_id', '=', projectId)
    .where('id', '=', webhookId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { message: `No webhook ${webhookId} in this project` });
  return row;
}

/** Marks a webhook deleted and cancels its pending deliveries, together. */
export async function deleteWebhook(db: Db, projectId: string, webhookId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('webhooks')
      .set({ deleted_at: new Date() })
      .where('project_id', '=', projectId)
      .where('id', '=', webhookId)
      .execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled' })
      .where('project_id', '=', projectId)
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'pending')
      .execute();
  });
}

/** A webhook's newest `limit` deliveries, each with every attempt in order. */
export async function listDeliveries(db: Db, projectId: string, webhookId: string, limit: number) {
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
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
  return deliveries.map((delivery) => ({
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
  }));
}
