import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { planPeersOf } from '../../risk/project-norms.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { effectiveAsOf } from '../../time/as-of.js';
import {
  accountParamsSchema,
  asOfQuerySchema,
  featureAdoptionSchema,
} from '../engagement.schemas.js';
import { type FeatureUse, featureAdoption } from '../feature-adoption.sql.js';
import { requireSeen } from '../require-seen.js';

/** Shares as the API gives them: three decimals. */
const roundShare = (share: number) => Math.round(share * 1000) / 1000;

/**
 * `GET /v1/accounts/:accountId/features`: adoption of the project's key features, each beside
 * its adoption by the account's peers on the same plan.
 */
export function accountFeaturesRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/features',
    auth: 'secret',
    summary:
      "An account's feature adoption: key features used or not, first/last use, depth, and the share of its plan's accounts using each",
    tags: ['engagement'],
    params: accountParamsSchema,
    querystring: asOfQuerySchema,
    response: featureAdoptionSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      await requireSeen(db, projectId, { kind: 'account', id: params.accountId }, asOf);
      const settings = await getProjectSettings(db, projectId);
      const [adoption, peers] = await Promise.all([
        featureAdoption(db, projectId, params.accountId, asOf),
        planPeersOf(db, projectId, params.accountId, asOf, settings),
      ]);
      const beside = (use: FeatureUse) => {
        const share = use.key ? peers.shares?.[use.feature] : undefined;
        return { ...use, peerShare: share === undefined ? null : roundShare(share) };
      };
      return {
        accountId: params.accountId,
        asOf: asOf.toISOString(),
        ...adoption,
        keyFeatures: adoption.keyFeatures.map(beside),
        otherFeatures: adoption.otherFeatures.map(beside),
        peers: { plan: peers.plan, accounts: peers.accounts },
      };
    },
  });
}
