import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { effectiveAsOf } from '../../time/as-of.js';
import { addDays, daysBetween, utcDay } from '../../time/utc-day.js';
import { engagementMetricsQuerySchema, engagementMetricsSchema } from '../engagement.schemas.js';
import { engagementSeries, MAX_METRIC_DAYS } from '../engagement-metrics.sql.js';

/** `GET /v1/metrics/engagement`: project-wide DAU/WAU/MAU per day (30 days up to `asOf` by default). */
export function engagementMetricsRoute(app: FastifyInstance): void {
  const { db, heavyWork } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/metrics/engagement',
    auth: 'secret',
    summary: 'DAU, WAU, MAU, stickiness (DAU/MAU) and active accounts, per day',
    tags: ['engagement'],
    querystring: engagementMetricsQuerySchema,
    response: engagementMetricsSchema,
    handler: async ({ query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const asOfDay = utcDay(asOf);
      const to = query.to && query.to < asOfDay ? query.to : asOfDay;
      const from = query.from ?? addDays(to, -29);
      if (from > to) {
        throw new AppError('invalid_request', { message: `from (${from}) is after to (${to})` });
      }
      if (daysBetween(from, to) + 1 > MAX_METRIC_DAYS) {
        throw new AppError('invalid_request', {
          message: `The range holds ${daysBetween(from, to) + 1} days; at most ${MAX_METRIC_DAYS}`,
        });
      }
      // Every active user and account of the range: bounded like the other heavy queries.
      const days = await heavyWork.run(
        projectId,
        `engagement:${from}:${to}:${asOf.toISOString()}`,
        () => engagementSeries(db, projectId, { from, to }, asOf),
      );
      return { asOf: asOf.toISOString(), from, to, days };
    },
  });
}
