import { z } from 'zod';
import { textParam } from '../http/text-param.js';
import { RISK_TIERS } from './risk.types.js';

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
  churnProbability: z
    .number()
    .nullable()
    .describe(
      "Chance of cancelling within the learned model's horizon; null with the default model",
    ),
  model: z.enum(['default', 'learned']),
  churnedAt: z.string().nullable().optional(),
});
