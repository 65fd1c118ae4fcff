import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { DEFAULT_FACTORS } from '../factors/default-factors.js';
import { latestTraining, modelInUse, type StoredModel } from '../model/model-store.sql.js';
import { trainModel } from '../model/train-model.js';

const metricsSchema = z.object({
  auc: z.number().nullable(),
  precisionAt10: z.number().nullable(),
  calibration: z.array(
    z.object({ bin: z.number(), count: z.number(), predicted: z.number(), observed: z.number() }),
  ),
});

const sampleSchema = z.object({
  snapshots: z.array(z.string()),
  rows: z.number(),
  churned: z.number(),
});

const reportSchema = z.object({
  trainedAt: z.string(),
  horizonDays: z.number(),
  splitAt: z.string(),
  training: sampleSchema,
  evaluation: sampleSchema,
  default: metricsSchema,
  learned: metricsSchema,
  adopted: z.boolean(),
  decision: z.string(),
});

const runSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  adopted: z.boolean(),
  report: reportSchema,
});

const modelResponse = z.object({
  inUse: z.enum(['default', 'learned']),
  factors: z.array(
    z.object({
      key: z.string(),
      defaultPoints: z.number(),
      learnedPoints: z.number().nullable(),
      multiplier: z.number(),
      pointsInUse: z.number(),
    }),
  ),
  model: runSchema.nullable().describe('The learned model in use, with its held-out metrics'),
  latestTraining: runSchema.nullable(),
});

const run = (model: StoredModel | null) =>
  model && {
    id: model.id,
    createdAt: model.createdAt,
    adopted: model.active,
    report: model.report,
  };

/** `GET /v1/model` and `POST /v1/model/train`: the churn model and its backtest. */
export function modelRoutes(app: FastifyInstance): void {
  const { db, heavyWork } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/model',
    auth: 'secret',
    summary: 'The churn model in use, its weights next to the defaults, and its backtest metrics',
    tags: ['model'],
    response: modelResponse,
    handler: async ({ projectId }) => {
      const [settings, inUse, latest] = await Promise.all([
        getProjectSettings(db, projectId),
        modelInUse(db, projectId, new Date()),
        latestTraining(db, projectId),
      ]);
      const factors = DEFAULT_FACTORS.map(({ key, weight }) => {
        const learnedPoints = inUse?.weights.points[key] ?? null;
        const multiplier = settings.factorWeights[key] ?? 1;
        return {
          key,
          defaultPoints: weight,
          learnedPoints,
          multiplier,
          pointsInUse: Math.round((learnedPoints ?? weight) * multiplier * 100) / 100,
        };
      });
      return {
        inUse: inUse ? 'learned' : 'default',
        factors,
        model: run(inUse),
        latestTraining: run(latest),
      };
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/v1/model/train',
    auth: 'secret',
    summary: 'Train and backtest a churn model on the project history now (422 without enough)',
    tags: ['model'],
    body: z
      .object({
        horizonDays: z
          .number()
          .int()
          .min(14)
          .max(365)
          .default(60)
          .describe('Churn within this many days of a snapshot is the label'),
      })
      .default({ horizonDays: 60 }),
    response: runSchema,
    handler: async ({ body, projectId }) => {
      // Training scores every account at many snapshot times: the heaviest query there is.
      const { model } = await heavyWork.run(projectId, `train:${body.horizonDays}`, () =>
        trainModel(db, projectId, { horizonDays: body.horizonDays }),
      );
      return run(model);
    },
  });
}
