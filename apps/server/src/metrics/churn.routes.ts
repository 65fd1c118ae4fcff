import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { defineRoute } from '../http/define-route.js';
import { sizeBandOf } from '../risk/account-segments.js';
import { getProjectSettings, type ProjectSettings } from '../settings/project-settings.js';
import { effectiveAsOf } from '../time/as-of.js';
import { addMonths, nextPeriod, type Period, periodStart } from '../time/calendar.js';
import { DAY_MS } from '../time/utc-day.js';
import {
  churnQuerySchema,
  churnReasonsQuerySchema,
  churnReasonsResponseSchema,
  churnResponseSchema,
  retentionQuerySchema,
  retentionResponseSchema,
} from './churn.schemas.js';
import { type ChurnGroupBy, churnByPeriod } from './churn-metrics.js';
import { churnReasons } from './churn-reasons.js';
import { cohortRetention } from './cohort-retention.js';
import { type SubscriptionSpan, stepBefore } from './subscription-history.js';
import { loadSubscriptionSpans } from './subscription-history.sql.js';

/** Most periods one churn report may hold. */
const MAX_PERIODS = 120;

/** The label function of a grouping: plan, MRR size band, tenure or billing interval. */
function groupLabels(
  groupBy: ChurnGroupBy,
  spans: readonly SubscriptionSpan[],
  settings: ProjectSettings,
): (span: SubscriptionSpan, at: number) => string {
  const firstStart = new Map<string, number>();
  for (const span of spans) {
    firstStart.set(
      span.accountId,
      Math.min(firstStart.get(span.accountId) ?? span.start, span.start),
    );
  }
  return (span, at) => {
    const step = stepBefore(span, at + 1);
    if (groupBy === 'plan') return step.plan ?? '(none)';
    if (groupBy === 'interval') return step.interval;
    if (groupBy === 'size') return sizeBandOf(step.mrr, settings.sizeBands).slice('size:'.length);
    const tenureDays = (at - firstStart.get(span.accountId)!) / DAY_MS;
    return tenureDays < settings.newCustomerDays ? 'new' : 'established';
  };
}

/** The range of whole periods: `from` defaults to 11 periods before the one holding `to`. */
function periodRange(from: number | undefined, to: number, period: Period) {
  let start = periodStart(to, period);
  if (from === undefined) {
    for (let k = 0; k < 11; k += 1)
      start = addMonths(start, period === 'year' ? -12 : period === 'quarter' ? -3 : -1);
    return { from: start, to };
  }
  if (from > to) {
    throw new AppError('invalid_request', {
      message: `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`,
    });
  }
  let count = 0;
  for (let at = periodStart(from, period); at <= to; at = nextPeriod(at, period)) {
    count += 1;
    if (count > MAX_PERIODS) {
      throw new AppError('invalid_request', {
        message: `The range holds more than ${MAX_PERIODS} ${period}s`,
      });
    }
  }
  return { from, to };
}

/**
 * The churn-metrics context: churn and revenue retention per period, the cohort matrix and
 * churn reasons, all from subscription history (see docs/churn-metrics.md for every rule).
 */
export async function churnRoutes(app: FastifyInstance) {
  const { db, heavyWork } = app.services;
  // The heavy part of every churn metric; shared while in flight, bounded (limits/heavy-work).
  const spansAsOf = (projectId: string, asOf: Date) =>
    heavyWork.run(projectId, `subscription-spans:${asOf.toISOString()}`, () =>
      loadSubscriptionSpans(db, projectId, asOf),
    );

  defineRoute(app, {
    method: 'GET',
    url: '/v1/metrics/churn',
    auth: 'secret',
    summary: 'Logo and revenue churn, GRR and NRR per period, optionally grouped',
    tags: ['metrics'],
    querystring: churnQuerySchema,
    response: churnResponseSchema,
    handler: async ({ query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const to = Math.min(query.to ?? asOf.getTime(), asOf.getTime());
      const range = periodRange(query.from, to, query.period);
      const [spans, settings] = await Promise.all([
        spansAsOf(projectId, asOf),
        getProjectSettings(db, projectId),
      ]);
      const periods = churnByPeriod(spans, {
        ...range,
        period: query.period,
        asOf: asOf.getTime(),
        groupOf: query.groupBy && groupLabels(query.groupBy, spans, settings),
      });
      return {
        asOf: asOf.toISOString(),
        period: query.period,
        groupBy: query.groupBy ?? null,
        periods,
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/metrics/retention',
    auth: 'secret',
    summary: 'Cohort retention matrix by month of first subscription, by logos or revenue',
    tags: ['metrics'],
    querystring: retentionQuerySchema,
    response: retentionResponseSchema,
    handler: async ({ query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const spans = await spansAsOf(projectId, asOf);
      return {
        asOf: asOf.toISOString(),
        cohort: query.cohort,
        basis: query.basis,
        cohorts: cohortRetention(spans, query.basis, asOf.getTime()).filter(
          (cohort) =>
            query.from === undefined ||
            cohort.cohort >= new Date(query.from).toISOString().slice(0, 7),
        ),
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/metrics/churn-reasons',
    auth: 'secret',
    summary: 'Cancellations by reason, with counts and lost MRR',
    tags: ['metrics'],
    querystring: churnReasonsQuerySchema,
    response: churnReasonsResponseSchema,
    handler: async ({ query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const to = Math.min(query.to ?? asOf.getTime(), asOf.getTime());
      const from = query.from ?? addMonths(periodStart(to, 'month'), -11);
      if (from > to) {
        throw new AppError('invalid_request', { message: 'from is after to' });
      }
      const spans = await spansAsOf(projectId, asOf);
      return {
        asOf: asOf.toISOString(),
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        reasons: churnReasons(spans, { from, to, asOf: asOf.getTime(), plan: query.plan }),
      };
    },
  });
}
