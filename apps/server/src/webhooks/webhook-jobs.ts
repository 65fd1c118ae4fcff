import type { FastifyInstance } from 'fastify';
import { deliverDue } from './deliver-webhooks.js';

/** How often due deliveries are sent. */
const DELIVERY_MS = 5_000;

/** The outbox sender: every few seconds, sends what is due and counts the attempts by outcome. */
export function registerWebhookJobs(app: FastifyInstance): void {
  const { db, scheduler, config, metrics } = app.services;
  scheduler.add({
    name: 'webhook-delivery',
    intervalMs: config.TENURE_JOBS_INTERVAL_MINUTES > 0 ? DELIVERY_MS : 0,
    run: async () => {
      const round = await deliverDue(db, {
        privateNetworks: config.TENURE_WEBHOOK_PRIVATE_NETWORKS,
      });
      for (const [outcome, attempts] of Object.entries(round)) {
        metrics.webhookAttempts.inc({ outcome }, attempts);
      }
    },
  });
}
