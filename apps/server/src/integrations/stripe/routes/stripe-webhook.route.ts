import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { z } from 'zod';
import { AppError } from '../../../errors/app-error.js';
import { defineRoute } from '../../../http/define-route.js';
import { textParam } from '../../../http/text-param.js';
import { handleStripeEvent } from '../handle-stripe-event.js';
import type { StripeEvent } from '../stripe-objects.types.js';
import { getStripeSettings } from '../stripe-settings.sql.js';

// Signature checks need no API key and no network; the client only lends its webhook helper.
const stripe = new Stripe('sk_webhook_verification_only');

const response = z.object({
  received: z.literal(true),
  outcome: z.enum(['applied', 'replayed', 'stale', 'ignored']),
  facts: z.number().int().describe('Tenure events written for this Stripe event'),
  rejected: z.array(z.object({ code: z.string(), message: z.string() }).loose()),
});

/**
 * Stripe's webhook for one project. The body is kept as the raw bytes Stripe signed (this
 * route's scope reads every content type as a Buffer): re-serialised JSON would not verify.
 */
export function stripeWebhookRoute(app: FastifyInstance) {
  const { db, writer } = app.services;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Subscribe it to customer.subscription.created/updated/deleted, invoice.paid and
  // customer.created/updated (docs/import.md).
  defineRoute(app, {
    method: 'POST',
    url: '/v1/integrations/stripe/webhook/:projectId',
    auth: 'none',
    summary: "Stripe's webhook endpoint (signed with the project's endpoint secret)",
    tags: ['integrations'],
    params: z.object({ projectId: textParam() }),
    response,
    handler: async ({ params, request }) => {
      const settings = await getStripeSettings(db, params.projectId);
      if (!settings.endpointSecret) throw new AppError('stripe_not_configured');
      const signature = request.headers['stripe-signature'];
      const body = request.body;
      if (typeof signature !== 'string' || !Buffer.isBuffer(body)) {
        throw new AppError('invalid_stripe_signature');
      }
      let event: StripeEvent;
      try {
        event = stripe.webhooks.constructEvent(
          body,
          signature,
          settings.endpointSecret,
        ) as unknown as StripeEvent;
      } catch (error) {
        throw new AppError('invalid_stripe_signature', { cause: error });
      }
      const handled = await handleStripeEvent(
        { db, writer, projectId: params.projectId, settings },
        event,
      );
      return { received: true as const, ...handled, rejected: handled.rejected };
    },
  });
}
