import { z } from 'zod';

const metricsSchema = z.object({
  auc: z.number().nullable(),
  precisionAt10: z.number().nullable().describe('Churn rate among the top 10% by score'),
  liftAt10: z.number().nullable().describe('precisionAt10 over the base churn rate'),
  brier: z.number().nullable().describe('Mean squared error of the churn probability'),
  calibration: z
    .array(
      z.object({ bin: z.number(), count: z.number(), predicted: z.number(), observed: z.number() }),
    )
    .describe('Deciles of predicted churn probability against the observed churn rate'),
});

const sampleSchema = z.object({
  snapshots: z.array(z.string()),
  rows: z.number(),
  churned: z.number(),
});

export const trainingReportSchema = z.object({
  trainedAt: z.string(),
  asOf: z.string().describe('No feature or label the model learned from is later than this'),
  horizonDays: z.number(),
  splitAt: z.string(),
  training: sampleSchema,
  evaluation: sampleSchema,
  default: metricsSchema,
  learned: metricsSchema,
  recency: metricsSchema,
  penalties: z.array(z.object({ l2: z.number(), auc: z.number().nullable() })),
  seasonWeighting: z.boolean(),
  adopted: z.boolean(),
  decision: z.string(),
  durationMs: z.number(),
});

export const trainingRunSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  trainedAsOf: z.string(),
  adopted: z.boolean(),
  report: trainingReportSchema,
});

export const modelResponseSchema = z.object({
  inUse: z.enum(['default', 'learned']),
  horizonDays: z.number().nullable().describe("The learned model's churn horizon"),
  factors: z.array(
    z.object({
      key: z.string(),
      defaultPoints: z.number(),
      learnedPoints: z.number().nullable(),
      multiplier: z.number(),
      pointsInUse: z.number(),
    }),
  ),
  learnedWeights: z
    .array(
      z.object({
        input: z.string(),
        factor: z.string(),
        weight: z.number(),
        byTenure: z.array(z.object({ fromDays: z.number(), weight: z.number() })).nullable(),
        words: z.string(),
      }),
    )
    .nullable()
    .describe('The learned model per input, largest first, in words'),
  model: trainingRunSchema
    .nullable()
    .describe('The learned model in use, with its held-out metrics'),
  latestTraining: trainingRunSchema.nullable(),
});

export const backtestSchema = z.object({
  asOf: z.string(),
  horizonDays: z.number(),
  accounts: z.number(),
  churned: z.number(),
  learned: metricsSchema,
  default: metricsSchema,
  recency: metricsSchema,
  training: trainingReportSchema,
  durationMs: z.number(),
  predictions: z
    .array(
      z.object({
        accountId: z.string(),
        churnProbability: z.number(),
        score: z.number(),
        defaultScore: z.number(),
        daysSinceLastLogin: z.number().nullable(),
        churned: z.boolean(),
      }),
    )
    .optional(),
});

export const modelJobSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: z.enum(['train', 'backtest']),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  progress: z.object({ step: z.string(), done: z.number(), total: z.number() }).nullable(),
  result: z.unknown(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
