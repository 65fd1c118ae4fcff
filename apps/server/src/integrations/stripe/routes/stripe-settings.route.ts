import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../../http/define-route.js';
import { getStripeSettings, saveStripeSettings } from '../stripe-settings.sql.js';

const response = z.object({
  endpointSecretSet: z.boolean().describe('The secret itself is never returned'),
  accountFrom: z.enum(['metadata', 'customer']),
  metadataKey: z.string(),
  webhookPath: z.string().describe("The path to give Stripe as the endpoint's URL"),
});

const body = z.strictObject({
  endpointSecret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, 'Expected the endpoint signing secret, whsec_...')
    .max(255)
    .optional()
    .describe('Kept when omitted'),
  accountFrom: z
    .enum(['metadata', 'customer'])
    .default('metadata')
    .describe("metadata: the account id is in the subscription's or customer's metadata"),
  metadataKey: z.string().min(1).max(40).default('tenure_account_id'),
});

/** The project's Stripe settings: endpoint secret and customer-to-account mapping. */
export function stripeSettingsRoutes(app: FastifyInstance) {
  const { db } = app.services;
  const view = async (projectId: string) => {
    const settings = await getStripeSettings(db, projectId);
    return {
      endpointSecretSet: settings.endpointSecret !== null,
      accountFrom: settings.accountFrom,
      metadataKey: settings.metadataKey,
      webhookPath: `/v1/integrations/stripe/webhook/${projectId}`,
    };
  };
  defineRoute(app, {
    method: 'GET',
    url: '/v1/integrations/stripe',
    auth: 'secret',
    summary: 'Stripe settings',
    tags: ['integrations'],
    response,
    handler: ({ projectId }) => view(projectId),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/v1/integrations/stripe',
    auth: 'secret',
    summary: 'Set the Stripe endpoint secret and how customers map to accounts',
    tags: ['integrations'],
    body,
    response,
    handler: async ({ projectId, body: input }) => {
      const current = await getStripeSettings(db, projectId);
      await saveStripeSettings(db, projectId, {
        endpointSecret: input.endpointSecret ?? current.endpointSecret,
        accountFrom: input.accountFrom,
        metadataKey: input.metadataKey,
      });
      return view(projectId);
    },
  });
}
