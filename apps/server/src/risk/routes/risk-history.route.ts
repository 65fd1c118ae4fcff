import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { asOfSchema } from '../../time/as-of.js';
import { DAY_MS } from '../../time/utc-day.js';
import { accountIdSchema } from '../risk.schemas.js';
import { RISK_TIERS } from '../risk.types.js';

/** Enough for a year of daily points; older history is still in `risk_snapshots` for SQL. */
const MAX_DAYS = 366;

const response = z.object({
  accountId: z.string(),
  asOf: z.string(),
  snapshots: z.array(
    z.object({
      takenAt: z.string(),
      score: z.number(),
      tier: z.enum(RISK_TIERS as [string, ...string[]]),
    }),
  ),
});

/**
 * `GET /v1/accounts/:accountId/risk/history?days&asOf`: the stored risk snapshots of one
 * account, oldest first, the latest of each UTC day. Snapshots are stored when the score or
 * tier changes, so the history is a step line: the first one may be older than `days` (the
 * score in force when the range starts), and the last holds until the next. Reading the snapshots costs one index
 * range; recomputing the score as of each past week instead costs about a second a point on
 * the demo data (the project norms are rebuilt for every asOf).
 */
export function riskHistoryRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts/:accountId/risk/history',
    auth: 'secret',
    summary: "An account's risk snapshots over time (one a day, the day's latest), oldest first",
    tags: ['risk'],
    params: z.object({ accountId: accountIdSchema }),
    querystring: z.object({
      days: z.coerce.number().int().min(1).max(MAX_DAYS).default(90),
      asOf: asOfSchema.optional().describe('History up to this time (default now)'),
    }),
    response,
    handler: async ({ params, query, projectId }) => {
      const asOf = query.asOf ?? new Date();
      const start = new Date(asOf.getTime() - query.days * DAY_MS);
      const snapshots = db
        .selectFrom('risk_snapshots')
        .select(['taken_at', 'score', 'tier'])
        .where('project_id', '=', projectId)
        .where('account_id', '=', params.accountId);
      // A snapshot is stored only when the score or tier changed, so the one before the range
      // is the score in force at its start.
      const [before, inRange] = await Promise.all([
        snapshots.where('taken_at', '<=', start).orderBy('taken_at', 'desc').limit(1).execute(),
        snapshots
          .where('taken_at', '>', start)
          .where('taken_at', '<=', asOf)
          .orderBy('taken_at')
          .execute(),
      ]);
      const rows = [...before, ...inRange];
      // Snapshots are taken every TENURE_JOBS_INTERVAL_MINUTES; a chart needs one a day.
      const byDay = new Map<string, (typeof rows)[number]>();
      for (const row of rows) byDay.set(new Date(row.taken_at).toISOString().slice(0, 10), row);
      return {
        accountId: params.accountId,
        asOf: asOf.toISOString(),
        snapshots: [...byDay.values()].map((row) => ({
          takenAt: new Date(row.taken_at).toISOString(),
          score: Math.round(row.score * 10) / 10,
          tier: row.tier,
        })),
      };
    },
  });
}
