import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { effectiveAsOf } from '../../time/as-of.js';
import type { Subject } from '../activity.sql.js';
import { asOfQuerySchema, userParamsSchema, userProfileSchema } from '../engagement.schemas.js';
import { userRecord } from '../profiles.sql.js';
import { requireSeen } from '../require-seen.js';
import { subjectCadence } from '../subject-cadence.js';

/** `GET /v1/users/:userId`: the user as they stood at `asOf`. */
export function userProfileRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/users/:userId',
    auth: 'secret',
    summary: "A user's profile: traits, accounts, first/last seen, usage cadence",
    tags: ['engagement'],
    params: userParamsSchema,
    querystring: asOfQuerySchema,
    response: userProfileSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const subject: Subject = { kind: 'user', id: params.userId };
      const seen = await requireSeen(db, projectId, subject, asOf);
      const [user, cadence] = await Promise.all([
        userRecord(db, projectId, params.userId, asOf),
        subjectCadence(db, projectId, subject, asOf),
      ]);
      return {
        userId: params.userId,
        asOf: asOf.toISOString(),
        traits: user?.traits ?? {},
        accountId: user?.accountId ?? null,
        accounts: user?.accounts ?? [],
        ...seen,
        cadence: { current: cadence.current, since: cadence.since },
      };
    },
  });
}
