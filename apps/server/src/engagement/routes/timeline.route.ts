import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { effectiveAsOf } from '../../time/as-of.js';
import type { Subject } from '../activity.sql.js';
import {
  accountParamsSchema,
  timelineQuerySchema,
  timelineSchema,
  userParamsSchema,
} from '../engagement.schemas.js';
import { requireSeen } from '../require-seen.js';
import { subjectTimeline } from '../subject-timeline.js';

/** `GET /v1/accounts/:accountId/engagement` and `GET /v1/users/:userId/engagement`. */
export function timelineRoutes(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/engagement',
    auth: 'secret',
    summary: "An account's activity timeline by day, week or month, with its usage cadence",
    tags: ['engagement'],
    params: accountParamsSchema,
    querystring: timelineQuerySchema,
    response: timelineSchema,
    handler: async ({ params, query, projectId }) => {
      const subject: Subject = { kind: 'account', id: params.accountId };
      await requireSeen(db, projectId, subject, effectiveAsOf(query.asOf));
      return {
        accountId: params.accountId,
        ...(await subjectTimeline(db, projectId, subject, query)),
      };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/v1/users/:userId/engagement',
    auth: 'secret',
    summary: "A user's activity timeline by day, week or month, with their usage cadence",
    tags: ['engagement'],
    params: userParamsSchema,
    querystring: timelineQuerySchema,
    response: timelineSchema,
    handler: async ({ params, query, projectId }) => {
      const subject: Subject = { kind: 'user', id: params.userId };
      await requireSeen(db, projectId, subject, effectiveAsOf(query.asOf));
      return { userId: params.userId, ...(await subjectTimeline(db, projectId, subject, query)) };
    },
  });
}
