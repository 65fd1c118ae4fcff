import { instantOf, isIsoTimestamp } from '@tenure/schema';
import { z } from 'zod';
import { textParam } from '../http/text-param.js';
import { asOfSchema } from '../time/as-of.js';
import { DAY_MS } from '../time/utc-day.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An ISO-8601 date or timestamp of a real calendar day. Periods are calendar periods in UTC,
 * and `instantOf` reads a timestamp without a zone as UTC (`Date.parse` would read it in the
 * server's zone and move every boundary with it).
 */
const timestampSchema = z
  .string()
  .max(64)
  .refine(isIsoTimestamp, { message: 'Expected an ISO-8601 date or timestamp' });

const instantSchema = timestampSchema.transform(instantOf);

/** The end of a range: a date without a time means through the end of that day. */
const rangeEndSchema = timestampSchema.transform(
  (value) => instantOf(value) + (DATE_ONLY.test(value) ? DAY_MS : 0),
);

export const churnQuerySchema = z.object({
  from: instantSchema.optional().describe('Start of the first period (default: 12 periods back)'),
  to: instantSchema.optional().describe('End of the range (default and at most asOf)'),
  period: z.enum(['month', 'quarter', 'year']).default('month'),
  groupBy: z.enum(['plan', 'size', 'tenure', 'interval']).optional(),
  asOf: asOfSchema.optional().describe('Evaluate as of this time (default now)'),
});

export const retentionQuerySchema = z.object({
  cohort: z.enum(['month']).default('month'),
  from: instantSchema.optional().describe('Only cohorts from this month on'),
  basis: z.enum(['logo', 'revenue']).default('logo'),
  asOf: asOfSchema.optional().describe('Evaluate as of this time (default now)'),
});

export const churnReasonsQuerySchema = z.object({
  from: instantSchema
    .optional()
    .describe('Cancellations effective after this instant (default: 12 months back)'),
  to: rangeEndSchema
    .optional()
    .describe('… up to this instant, or through this day (default asOf)'),
  plan: textParam().optional().describe('Only cancellations on this plan'),
  asOf: asOfSchema.optional().describe('Evaluate as of this time (default now)'),
});

const rates = {
  logoChurnRate: z.number().nullable(),
  revenueChurnRate: z.number().nullable(),
  contractionRate: z.number().nullable(),
  grossRevenueRetention: z.number().nullable(),
  netRevenueRetention: z.number().nullable(),
};
const counts = {
  customersAtStart: z.number().int(),
  new: z.number().int(),
  reactivated: z.number().int(),
  churned: z.number().int(),
  customersAtEnd: z.number().int(),
  startMrr: z.number(),
  newMrr: z.number(),
  churnedMrr: z.number(),
  contractionMrr: z.number(),
  expansionMrr: z.number(),
};

export const churnResponseSchema = z.object({
  asOf: z.string(),
  period: z.enum(['month', 'quarter', 'year']),
  groupBy: z.string().nullable(),
  periods: z.array(
    z.object({
      period: z.string(),
      start: z.string(),
      end: z.string(),
      partial: z.boolean(),
      ...counts,
      ...rates,
      groups: z.array(z.object({ group: z.string(), ...counts, ...rates })).optional(),
    }),
  ),
});

export const retentionResponseSchema = z.object({
  asOf: z.string(),
  cohort: z.literal('month'),
  basis: z.enum(['logo', 'revenue']),
  cohorts: z.array(
    z.object({
      cohort: z.string(),
      accounts: z.number().int(),
      startMrr: z.number(),
      retention: z.array(z.number().nullable()),
    }),
  ),
});

export const churnReasonsResponseSchema = z.object({
  asOf: z.string(),
  from: z.string(),
  to: z.string(),
  reasons: z.array(
    z.object({ reason: z.string(), cancellations: z.number().int(), lostMrr: z.number() }),
  ),
});
