import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { textParam } from '../../http/text-param.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { asOfSchema } from '../../time/as-of.js';
import { type AccountSort, listPage } from '../account-list.js';
import { segmentLabels, segmentsOf } from '../account-segments.js';
import { decodeCursor, encodeCursor } from '../list-cursor.js';
import { riskFactorSchema, riskTrendSchema } from '../risk.schemas.js';
import { RISK_TIERS, type RiskTier } from '../risk.types.js';
import { type ScoredAccount, scoreProject } from '../score-accounts.js';
import { ScoredAccountsCache } from '../scored-accounts-cache.js';

const querystring = z.object({
  tier: z
    .string()
    .max(100)
    .transform((value) => value.split(',').map((tier) => tier.trim()))
    .pipe(z.array(z.enum(RISK_TIERS as [RiskTier, ...RiskTier[]])))
    .optional()
    .describe('One tier or a comma-separated list: healthy, watch, at_risk, critical'),
  plan: textParam().optional(),
  segment: z
    .string()
    .max(64)
    .optional()
    .describe('new, established, or an MRR band such as size:100-1000 (settings.sizeBands)'),
  status: z
    .enum(['active', 'churned', 'all'])
    .default('active')
    .describe('active: current customers (default); churned: cancelled by asOf'),
  sort: z.enum(['risk', 'mrr', 'last_seen']).default('risk').describe('Always descending'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional(),
  asOf: asOfSchema.optional().describe('Evaluate as of this time (default now)'),
});

const listItemSchema = z.object({
  accountId: z.string(),
  name: z.string().nullable(),
  plan: z.string().nullable(),
  mrr: z.number().nullable(),
  seats: z.number().nullable(),
  lastSeen: z.string().nullable().describe('Last day with activity before asOf'),
  tenureDays: z.number(),
  segments: z.array(z.string()),
  score: z.number(),
  tier: z.string(),
  trend: riskTrendSchema,
  topFactors: z.array(riskFactorSchema),
  churnedAt: z.string().nullable(),
});

const response = z.object({
  asOf: z.string(),
  accounts: z.array(listItemSchema),
  nextCursor: z.string().nullable(),
});

function toItem({ features, risk }: ScoredAccount, segments: string[]) {
  return {
    accountId: features.accountId,
    name: features.name,
    plan: features.plan,
    mrr: features.mrr,
    seats: features.seats,
    lastSeen: features.lastSeenDay,
    tenureDays: features.tenureDays,
    segments,
    score: risk.score,
    tier: risk.tier,
    trend: risk.trend,
    topFactors: risk.factors.filter((factor) => factor.contribution > 0).slice(0, 3),
    churnedAt: features.churnedAt,
  };
}

/** `GET /v1/accounts`: every account with its risk, filtered, sorted, cursor-paginated. */
export function accountListRoute(app: FastifyInstance): void {
  const { db, heavyWork } = app.services;
  const cache = new ScoredAccountsCache();
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts',
    auth: 'secret',
    summary: 'List accounts with risk: filter by tier, plan, segment; sort by risk, MRR, last seen',
    tags: ['risk'],
    querystring,
    response,
    handler: async ({ query, projectId }) => {
      const settings = await getProjectSettings(db, projectId);
      if (query.segment !== undefined && !segmentLabels(settings).includes(query.segment)) {
        throw new AppError('invalid_request', {
          message: `query.segment: expected one of ${segmentLabels(settings).join(', ')}`,
        });
      }
      const { cursor, limit, asOf: requestedAsOf, ...shape } = query;
      const queryKey = JSON.stringify(shape);
      const position = cursor === undefined ? undefined : decodeCursor(cursor, queryKey);
      const includeChurned = query.status !== 'active';
      // Later pages reuse the first page's computation (their cursor carries its asOf).
      const { asOf, scored } = await cache.get(
        projectId,
        position ? new Date(position.asOf) : undefined,
        includeChurned,
        () => {
          const at = position ? new Date(position.asOf) : requestedAsOf;
          return heavyWork.run(projectId, `accounts:${at?.toISOString()}:${includeChurned}`, () =>
            scoreProject(db, projectId, { asOf: at, includeChurned }),
          );
        },
      );
      const candidates =
        query.status === 'churned' ? scored.filter((a) => a.features.churnedAt !== null) : scored;
      const page = listPage(candidates, settings, {
        sort: query.sort as AccountSort,
        filters: { tiers: query.tier, plan: query.plan, segment: query.segment },
        limit,
        after: position,
      });
      return {
        asOf: asOf.toISOString(),
        accounts: page.accounts.map((account) =>
          toItem(account, segmentsOf(account.features, settings)),
        ),
        nextCursor:
          page.hasMore && page.last
            ? encodeCursor({ asOf: asOf.toISOString(), query: queryKey, ...page.last })
            : null,
      };
    },
  });
}
