import { instantOf, isIsoTimestamp, LIMITS } from '@tenure/schema';
import { z } from 'zod';
import { textParam } from '../http/text-param.js';
import { RISK_TIERS } from './risk.types.js';

/**
 * A time query parameter (`asOf`, an export's `from`/`to`): an ISO-8601 date or timestamp of
 * a real calendar day, on or after 2000-01-01, parsed to a Date; without a zone it is UTC, as
 * at ingestion.
 */
export const instantSchema = z
  .string()
  .max(64)
  .refine(isIsoTimestamp, { message: 'Expected an ISO-8601 date or timestamp' })
  .transform((value) => new Date(instantOf(value)))
  .refine((date) => date.getTime() >= LIMITS.earliestTimestamp, {
    message: 'Must be on or after 2000-01-01',
  });

/** `asOf` query parameter: an ISO-8601 date or timestamp, parsed to a Date. */
export const asOfSchema = instantSchema;

export const accountIdSchema = textParam();

export const riskFactorSchema = z.object({
  key: z.string(),
  value: z.number().nullable(),
  baseline: z.number().nullable(),
  contribution: z.number(),
  message: z.string(),
});

export const riskTrendSchema = z.object({
  previousScore: z.number().nullable(),
  change: z.number().nullable(),
  direction: z.enum(['rising', 'falling', 'stable']).nullable(),
});

export const accountRiskSchema = z.object({
  accountId: z.string(),
  asOf: z.string(),
  score: z.number(),
  tier: z.enum(RISK_TIERS as [string, ...string[]]),
  factors: z.array(riskFactorSchema),
  recommendations: z.array(
    z.object({ factor: z.string(), action: z.string(), message: z.string() }),
  ),
  trend: riskTrendSchema,
  model: z.enum(['default', 'learned']),
  churnedAt: z.string().nullable().optional(),
});
