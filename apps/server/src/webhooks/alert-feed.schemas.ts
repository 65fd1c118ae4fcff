import { z } from 'zod';
import { ALERT_TRIGGERS } from '../alerts/alert-payload.js';
import { textParam } from '../http/text-param.js';
import { riskFactorSchema, riskTrendSchema } from '../risk/risk.schemas.js';
import { RISK_TIERS, type RiskTier } from '../risk/risk.types.js';
import { instantSchema } from '../time/as-of.js';

/** `GET /v1/alerts` parameters; an unknown one is a 400, as on the account list. */
export const alertFeedQuerySchema = z.strictObject({
  type: z
    .string()
    .max(200)
    .transform((value) => value.split(',').map((type) => type.trim()))
    .pipe(z.array(z.enum(ALERT_TRIGGERS)))
    .optional()
    .describe(
      'One type or a comma-separated list: tier_worsened, score_increased, inactive, milestone_reached',
    ),
  accountId: textParam().optional().describe("Only this account's transitions"),
  since: instantSchema.optional().describe('Only transitions detected at or after this time'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
});

export const alertSchema = z.object({
  id: z.string().describe('The alert: the same transition always has the same id'),
  type: z.enum(ALERT_TRIGGERS),
  detectedAt: z
    .string()
    .describe(
      'The time detection evaluated when it found the transition: the feed is in this order',
    ),
  account: z.object({
    id: z.string(),
    name: z.string().nullable(),
    plan: z.string().nullable(),
    mrr: z.number().nullable(),
  }),
  transition: z
    .record(z.string(), z.unknown())
    .describe('What changed, by type, as in the webhook payload (docs/webhooks.md)'),
  risk: z.object({
    score: z.number(),
    tier: z.enum(RISK_TIERS as [RiskTier, ...RiskTier[]]),
    trend: riskTrendSchema,
    topFactors: z.array(riskFactorSchema),
    recommendations: z.array(
      z.object({ factor: z.string(), action: z.string(), message: z.string() }),
    ),
  }),
});

export const alertFeedSchema = z.object({
  alerts: z.array(alertSchema),
  nextCursor: z.string().nullable(),
});

export type Alert = z.infer<typeof alertSchema>;
