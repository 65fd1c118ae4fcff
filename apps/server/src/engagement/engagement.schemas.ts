import { instantOf, isIsoTimestamp } from '@tenure/schema';
import { z } from 'zod';
import { ACTIVITY_COUNTERS } from '../db/tables/rollups.table.js';
import { textParam } from '../http/text-param.js';
import { accountIdSchema, riskFactorSchema, riskTrendSchema } from '../risk/risk.schemas.js';
import { asOfSchema } from '../time/as-of.js';

export const userIdSchema = textParam();

export const accountParamsSchema = z.object({ accountId: accountIdSchema });
export const userParamsSchema = z.object({ userId: userIdSchema });

/** A UTC calendar day; a timestamp is accepted and reduced to its UTC day. */
export const daySchema = z
  .string()
  .max(64)
  .refine(isIsoTimestamp, { message: 'Expected an ISO-8601 date (YYYY-MM-DD) or timestamp' })
  .transform((value) => new Date(instantOf(value)).toISOString().slice(0, 10));

export const timelineQuerySchema = z.object({
  from: daySchema
    .optional()
    .describe('First day (UTC), default: 30 days, 12 weeks or 12 months back'),
  to: daySchema.optional().describe('Last day (UTC), default and at most the day of asOf'),
  interval: z
    .enum(['day', 'week', 'month'])
    .default('week')
    .describe('Weeks start on Monday (UTC)'),
  asOf: asOfSchema
    .optional()
    .describe('Evaluate as of this time using only data that existed then (default now)'),
});

export const asOfQuerySchema = z.object({
  asOf: asOfSchema.optional().describe('Evaluate as of this time (default now)'),
});

const cadenceSchema = z.enum(['daily', 'weekly', 'monthly', 'dormant']);

export const usageCadenceSchema = z.object({
  current: cadenceSchema.nullable(),
  since: z.string().nullable(),
  shifts: z.array(z.object({ on: z.string(), from: cadenceSchema.nullable(), to: cadenceSchema })),
});

const counters = Object.fromEntries(ACTIVITY_COUNTERS.map((name) => [name, z.number().int()]));

export const timelineSchema = z.object({
  accountId: z.string().optional(),
  userId: z.string().optional(),
  asOf: z.string(),
  interval: z.enum(['day', 'week', 'month']),
  from: z.string(),
  to: z.string(),
  cadence: usageCadenceSchema,
  buckets: z.array(
    z.object({
      start: z.string(),
      activeDays: z.number().int(),
      activeUsers: z.number().int(),
      ...counters,
    }),
  ),
});

export const accountProfileSchema = z.object({
  accountId: z.string(),
  asOf: z.string(),
  name: z.string().nullable(),
  plan: z.string().nullable(),
  mrr: z.number().nullable(),
  seats: z.number().nullable(),
  traits: z.record(z.string(), z.unknown()),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  users: z.object({
    total: z.number().int(),
    active28: z.number().int(),
    recent: z.array(z.object({ userId: z.string(), lastSeenDay: z.string() })),
  }),
  cadence: z.object({ current: cadenceSchema.nullable(), since: z.string().nullable() }),
  risk: z
    .object({
      score: z.number(),
      tier: z.string(),
      trend: riskTrendSchema,
      topFactors: z.array(riskFactorSchema),
    })
    .nullable(),
  churnedAt: z.string().nullable(),
});

export const userProfileSchema = z.object({
  userId: z.string(),
  asOf: z.string(),
  traits: z.record(z.string(), z.unknown()),
  accountId: z.string().nullable(),
  accounts: z.array(z.object({ accountId: z.string(), firstSeen: z.string() })),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  cadence: z.object({ current: cadenceSchema.nullable(), since: z.string().nullable() }),
});

const featureUseSchema = z.object({
  feature: z.string(),
  key: z.boolean(),
  adopted: z.boolean(),
  firstUsed: z.string().nullable(),
  lastUsed: z.string().nullable(),
  uses: z.number().int(),
  uses28: z.number().int(),
  users28: z.number().int(),
  userShare28: z.number().nullable(),
  peerShare: z
    .number()
    .nullable()
    .describe(
      "Key features: share of the plan's retained accounts that used it in the last 28 days (null with fewer than 5 of them); null for other features",
    ),
});

export const featureAdoptionSchema = z.object({
  accountId: z.string(),
  asOf: z.string(),
  keyFeaturesSource: z.enum(['configured', 'inferred']),
  activeUsers28: z.number().int(),
  keyFeatures: z.array(featureUseSchema),
  otherFeatures: z.array(featureUseSchema),
  peers: z
    .object({
      plan: z.string().nullable().describe("The account's plan as of asOf"),
      accounts: z
        .number()
        .int()
        .describe('Retained accounts on the plan (not churned, a login in the last 28 days)'),
    })
    .describe('Who peerShare compares with, counted as of the start of the day of asOf'),
});

export const engagementMetricsQuerySchema = z.object({
  from: daySchema.optional().describe('First day (UTC), default 30 days before `to`'),
  to: daySchema.optional().describe('Last day (UTC), default and at most the day of asOf'),
  asOf: asOfSchema.optional().describe('Evaluate as of this time (default now)'),
});

export const engagementMetricsSchema = z.object({
  asOf: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.array(
    z.object({
      day: z.string(),
      dau: z.number().int(),
      wau: z.number().int(),
      mau: z.number().int(),
      stickiness: z.number().nullable(),
      activeAccounts: z.number().int(),
    }),
  ),
});
