import { z } from 'zod';
import { textParam } from '../http/text-param.js';
import { asOfSchema } from '../time/as-of.js';
import { riskFactorSchema, riskTrendSchema } from './risk.schemas.js';
import { RISK_TIERS, type RiskTier } from './risk.types.js';

/**
 * The search text, trimmed: a blank search would match every account and hide a client bug,
 * so it is a 400 like any other malformed filter. 100 characters is longer than any account
 * name a person types.
 */
const searchParam = z
  .string()
  .trim()
  .min(1, { message: 'Must not be blank' })
  .max(100)
  .refine((value) => !value.includes('\u0000'), { message: 'Must not contain NUL characters' });

/** `GET /v1/accounts` parameters; an unknown one is a 400 (a misspelt filter must not be ignored). */
export const accountListQuerySchema = z.strictObject({
  tier: z
    .string()
    .max(100)
    .transform((value) => value.split(',').map((tier) => tier.trim()))
    .pipe(z.array(z.enum(RISK_TIERS as [RiskTier, ...RiskTier[]])))
    .optional()
    .describe('One tier or a comma-separated list: healthy, watch, at_risk, critical'),
  plan: textParam().optional(),
  q: searchParam
    .optional()
    .describe(
      'Search: accounts whose name or id contains this text, ignoring case (1–100 characters)',
    ),
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
  asOf: asOfSchema
    .optional()
    .describe('Evaluate as of this time, computed on demand (default: the stored current scores)'),
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
  churnProbability: z
    .number()
    .nullable()
    .describe("The model's calibrated churn probability, when the model in use gives one"),
  trend: riskTrendSchema,
  topFactors: z.array(riskFactorSchema),
  churnedAt: z.string().nullable(),
  scoredAt: z.string().describe('When this score was computed'),
});

const tierCountSchema = z.object({ accounts: z.number(), mrr: z.number() });

export const tierSummarySchema = z
  .object({
    accounts: z.number(),
    mrr: z.number(),
    tiers: z.object({
      healthy: tierCountSchema,
      watch: tierCountSchema,
      at_risk: tierCountSchema,
      critical: tierCountSchema,
    }),
  })
  .describe('Accounts and MRR by tier under the filters other than tier (first page only)');

export const accountListResponseSchema = z.object({
  asOf: z.string(),
  accounts: z.array(listItemSchema),
  nextCursor: z.string().nullable(),
  summary: tierSummarySchema.nullable(),
  stale: z
    .boolean()
    .describe('Some scores predate the current settings, model or day: a re-scoring is due'),
  rescoring: z
    .object({ done: z.number(), total: z.number() })
    .nullable()
    .describe('Progress of the background re-scoring pass, if one is under way'),
  pending: z.number().describe('Accounts with new events not yet re-scored'),
});

export type AccountListItem = z.infer<typeof listItemSchema>;
