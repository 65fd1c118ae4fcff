import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { effectiveAsOf } from '../../time/as-of.js';
import {
  accountParamsSchema,
  asOfQuerySchema,
  featureAdoptionSchema,
} from '../engagement.schemas.js';
import { featureAdoption } from '../feature-adoption.sql.js';
import { requireSeen } from '../require-seen.js';

/** `GET /v1/accounts/:accountId/features`: adoption of the project's key features. */
export function accountFeaturesRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/features',
    auth: 'secret',
    summary: "An account's feature adoption: key features used or not, first/last use, depth",
    tags: ['engagement'],
    params: accountParamsSchema,
    querystring: asOfQuerySchema,
    response: featureAdoptionSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      await requireSeen(db, projectId, { kind: 'account', id: params.accountId }, asOf);
      const adoption = await featureAdoption(db, projectId, params.accountId, asOf);
      return { accountId: params.accountId, asOf: asOf.toISOString(), ...adoption };
    },
  });
}
