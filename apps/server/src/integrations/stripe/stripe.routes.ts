import type { FastifyInstance } from 'fastify';
import { stripeSettingsRoutes } from './routes/stripe-settings.route.js';
import { stripeWebhookRoute } from './routes/stripe-webhook.route.js';

/**
 * The Stripe integration: its settings, and the signed webhook that turns subscriptions into
 * Tenure's revenue facts. The webhook sits in a scope of its own, where bodies stay raw bytes.
 */
export async function stripeRoutes(app: FastifyInstance) {
  stripeSettingsRoutes(app);
  await app.register(async (scope) => stripeWebhookRoute(scope));
}
