import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ACTIVITY_COUNTERS } from '../db/tables/rollups.table.js';
import { AppError } from '../http/app-error.js';
import { defineRoute } from '../http/define-route.js';
import { accountIdSchema } from '../risk/risk.schemas.js';
import { scoreProject } from '../risk/score-accounts.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { effectiveAsOf } from '../time/as-of.js';
import { addDays, daysBetween, utcDay } from '../time/utc-day.js';
import { activeDays, activityBuckets, type Subject } from './activity.sql.js';
import {
  accountProfileSchema,
  asOfQuerySchema,
  engagementMetricsQuerySchema,
  engagementMetricsSchema,
  featureAdoptionSchema,
  timelineQuerySchema,
  timelineSchema,
  userIdSchema,
  userProfileSchema,
} from './engagement.schemas.js';
import { engagementSeries, MAX_METRIC_DAYS } from './engagement-metrics.sql.js';
import { featureAdoption } from './feature-adoption.sql.js';
import { accountMembers, accountTraitsAsOf, seenAsOf, userRecord } from './profiles.sql.js';
import { bucketStarts, timelineRange } from './time-buckets.js';
import { usageCadence } from './usage-cadence.js';

type TimelineQuery = z.output<typeof timelineQuerySchema>;

const EMPTY_BUCKET = {
  activeDays: 0,
  activeUsers: 0,
  ...Object.fromEntries(ACTIVITY_COUNTERS.map((name) => [name, 0])),
};

/** How far back cadence looks for its shifts (and the 28 days its rules need). */
const CADENCE_HISTORY_DAYS = 400;

/**
 * The engagement context: account and user profiles, activity timelines with usage cadence,
 * feature adoption, and project-wide DAU/WAU/MAU. Every answer can be asked `asOf` a past time.
 */
export async function engagementRoutes(app: FastifyInstance) {
  const { db } = app.services;

  async function cadenceOf(projectId: string, subject: Subject, asOf: Date) {
    const end = utcDay(asOf);
    const start = addDays(end, -CADENCE_HISTORY_DAYS);
    const [days, settings] = await Promise.all([
      activeDays(db, projectId, subject, start, asOf),
      getProjectSettings(db, projectId),
    ]);
    return usageCadence(days, start, end, settings.inactivityDays);
  }

  async function timeline(projectId: string, subject: Subject, query: TimelineQuery) {
    const asOf = effectiveAsOf(query.asOf);
    const range = timelineRange(query, asOf);
    if ('error' in range) throw new AppError('invalid_request', { message: range.error });
    const [buckets, cadence] = await Promise.all([
      activityBuckets(db, projectId, subject, range, query.interval, asOf),
      cadenceOf(projectId, subject, asOf),
    ]);
    const byStart = new Map(buckets.map((bucket) => [bucket.start, bucket]));
    return {
      asOf: asOf.toISOString(),
      interval: query.interval,
      ...range,
      cadence: {
        ...cadence,
        shifts: cadence.shifts.filter((shift) => shift.on >= range.from && shift.on <= range.to),
      },
      buckets: bucketStarts(range.from, range.to, query.interval).map(
        (start) => byStart.get(start) ?? { ...EMPTY_BUCKET, start },
      ),
    };
  }

  async function requireSeen(projectId: string, subject: Subject, asOf: Date) {
    const column = subject.kind === 'account' ? 'account_id' : 'user_id';
    const seen = await seenAsOf(db, projectId, column, subject.id, asOf);
    if (!seen) {
      throw new AppError('not_found', {
        message: `No ${subject.kind} ${subject.id} in this project as of ${asOf.toISOString()}`,
      });
    }
    return seen;
  }

  const accountParams = z.object({ accountId: accountIdSchema });
  const userParams = z.object({ userId: userIdSchema });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId',
    auth: 'secret',
    summary:
      "An account's profile: traits, plan, MRR, seats, users, first/last seen, cadence, risk",
    tags: ['engagement'],
    params: accountParams,
    querystring: asOfQuerySchema,
    response: accountProfileSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const subject: Subject = { kind: 'account', id: params.accountId };
      const seen = await requireSeen(projectId, subject, asOf);
      const [traits, members, cadence, scored] = await Promise.all([
        accountTraitsAsOf(db, projectId, params.accountId, asOf),
        accountMembers(db, projectId, params.accountId, asOf),
        cadenceOf(projectId, subject, asOf),
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

  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/engagement',
    auth: 'secret',
    summary: "An account's activity timeline by day, week or month, with its usage cadence",
    tags: ['engagement'],
    params: accountParams,
    querystring: timelineQuerySchema,
    response: timelineSchema,
    handler: async ({ params, query, projectId }) => {
      const subject: Subject = { kind: 'account', id: params.accountId };
      await requireSeen(projectId, subject, effectiveAsOf(query.asOf));
      return { accountId: params.accountId, ...(await timeline(projectId, subject, query)) };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/features',
    auth: 'secret',
    summary: "An account's feature adoption: key features used or not, first/last use, depth",
    tags: ['engagement'],
    params: accountParams,
    querystring: asOfQuerySchema,
    response: featureAdoptionSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      await requireSeen(projectId, { kind: 'account', id: params.accountId }, asOf);
      const adoption = await featureAdoption(db, projectId, params.accountId, asOf);
      return { accountId: params.accountId, asOf: asOf.toISOString(), ...adoption };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/users/:userId',
    auth: 'secret',
    summary: "A user's profile: traits, accounts, first/last seen, usage cadence",
    tags: ['engagement'],
    params: userParams,
    querystring: asOfQuerySchema,
    response: userProfileSchema,
    handler: async ({ params, query, projectId }) => {
      const asOf = effectiveAsOf(query.asOf);
      const subject: Subject = { kind: 'user', id: params.userId };
      const seen = await requireSeen(projectId, subject, asOf);
      const [user, cadence] = await Promise.all([
        userRecord(db, projectId, params.userId, asOf),
        cadenceOf(projectId, subject, asOf),
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

  defineRoute(app, {
    method: 'GET',
    url: '/v1/users/:userId/engagement',
    auth: 'secret',
    summary: "A user's activity timeline by day, week or month, with their usage cadence",
    tags: ['engagement'],
    params: userParams,
    querystring: timelineQuerySchema,
    response: timelineSchema,
    handler: async ({ params, query, projectId }) => {
      const subject: Subject = { kind: 'user', id: params.userId };
      await requireSeen(projectId, subject, effectiveAsOf(query.asOf));
      return { userId: params.userId, ...(await timeline(projectId, subject, query)) };
    },
  });

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
      const days = await engagementSeries(db, projectId, { from, to }, asOf);
      return { asOf: asOf.toISOString(), from, to, days };
    },
  });
}
