import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { scoreProject } from '../../risk/score-accounts.js';
import { effectiveAsOf } from '../../time/as-of.js';
import type { Subject } from '../activity.sql.js';
import {
  accountParamsSchema,
  accountProfileSchema,
  asOfQuerySchema,
} from '../engagement.schemas.js';
import { accountMembers, accountTraitsAsOf } from '../profiles.sql.js';
import { requireSeen } from '../require-seen.js';
import { subjectCadence } from '../subject-cadence.js';

/** `GET /v1/accounts/:accountId`: the account as it stood at `asOf`, with its risk. */
export function accountProfileRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId',
    auth: 'secret',
    summary:
      "An account's profile: traits, plan, MRR, seats, users, first/last seen, cadence, risk",
    tags: ['engagement'],
    params: accountParamsSchema,
    querystring: asOfQuerySchema,
    response: accountProfileSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const subject: Subject = { kind: 'account', id: params.accountId };
      const seen = await requireSeen(db, projectId, subject, asOf);
      const [traits, members, cadence, scored] = await Promise.all([
        accountTraitsAsOf(db, projectId, params.accountId, asOf),
        accountMembers(db, projectId, params.accountId, asOf),
        subjectCadence(db, projectId, subject, asOf),
        scoreProject(db, projectId, { asOf, accountIds: [params.accountId], includeChurned: true }),
      ]);
      const [scoredAccount] = scored.scored;
      const features = scoredAccount?.features;
      const risk = scoredAccount?.risk;
      return {
        accountId: params.accountId,
        asOf: asOf.toISOString(),
        name: features?.name ?? null,
        plan: features?.plan ?? null,
        mrr: features?.mrr ?? null,
        seats: features?.seats ?? null,
        traits,
        ...seen,
        users: {
          total: members.total,
          active28: features?.activeUsers28 ?? 0,
          recent: members.recent,
        },
        cadence: { current: cadence.current, since: cadence.since },
        risk: risk
          ? {
              score: risk.score,
              tier: risk.tier,
              trend: risk.trend,
              topFactors: risk.factors.filter((factor) => factor.contribution > 0).slice(0, 3),
            }
          : null,
        churnedAt: features?.churnedAt ?? null,
      };
    },
  });
}
