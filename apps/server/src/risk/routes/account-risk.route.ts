import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { asOfSchema } from '../../time/as-of.js';
import { accountIdSchema, accountRiskSchema } from '../risk.schemas.js';
import { scoreAccounts } from '../score-accounts.js';

/** `GET /v1/accounts/:accountId/risk?asOf=`: one account's score, explained. */
export function accountRiskRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/risk',
    auth: 'secret',
    summary: "An account's churn risk: score, tier, factors, recommendations and trend",
    tags: ['risk'],
    params: z.object({ accountId: accountIdSchema }),
    querystring: z.object({
      asOf: asOfSchema
        .optional()
        .describe('Evaluate as of this time using only data that existed then (default now)'),
    }),
    response: accountRiskSchema,
    handler: async ({ params, query, projectId }) => {
      const [risk] = await scoreAccounts(db, projectId, {
        asOf: query.asOf,
        accountIds: [params.accountId],
        includeChurned: true,
      });
      if (!risk) {
        throw new AppError('not_found', {
          message: query.asOf
            ? `No account ${params.accountId} in this project as of ${query.asOf.toISOString()}`
            : `No account ${params.accountId} in this project`,
        });
      }
      return risk;
    },
  });
}
