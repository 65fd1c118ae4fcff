import type { FastifyInstance } from 'fastify';
import { registerAlertJobs } from '../alerts/alert-jobs.js';
import { alertFeedRoute } from './routes/alert-feed.route.js';
import { createWebhookRoute } from './routes/create-webhook.route.js';
import { deleteWebhookRoute } from './routes/delete-webhook.route.js';
import { detectAlertsRoute } from './routes/detect-alerts.route.js';
import { listWebhooksRoute } from './routes/list-webhooks.route.js';
import { testWebhookRoute } from './routes/test-webhook.route.js';
import { webhookDeliveriesRoute } from './routes/webhook-deliveries.route.js';
import { registerWebhookJobs } from './webhook-jobs.js';

/**
 * The early-warning context: webhook subscriptions, transition detection into a Postgres
 * outbox (alerts/), the feed of what was detected, and signed delivery with retries
 * (docs/webhooks.md).
 */
export async function webhooksRoutes(app: FastifyInstance) {
  registerAlertJobs(app);
  registerWebhookJobs(app);
  createWebhookRoute(app);
  listWebhooksRoute(app);
  deleteWebhookRoute(app);
  testWebhookRoute(app);
  webhookDeliveriesRoute(app);
  detectAlertsRoute(app);
  alertFeedRoute(app);
}
