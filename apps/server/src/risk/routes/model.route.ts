import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { asOfSchema } from '../../time/as-of.js';
import { DEFAULT_FACTORS } from '../factors/default-factors.js';
import { backtestProject } from '../model/backtest.js';
import { describeModel } from '../model/describe-model.js';
import { INPUTS } from '../model/model-inputs.js';
import { type JobProgress, ModelJobs } from '../model/model-jobs.js';
import { latestTraining, modelInUse, type StoredModel } from '../model/model-store.sql.js';
import { HORIZON_DAYS, trainModel } from '../model/train-model.js';
import {
  backtestSchema,
  modelJobSchema,
  modelResponseSchema,
  trainingRunSchema,
} from './model.schemas.js';

const horizonDays = z
  .number()
  .int()
  .min(HORIZON_DAYS.min)
  .max(HORIZON_DAYS.max)
  .default(HORIZON_DAYS.default)
  .describe('Churn within this many days of a snapshot is the label');

const trainBody = z
  .object({
    asOf: asOfSchema
      .optional()
      .describe('Train as of this time (default now): no feature or label is later'),
    horizonDays,
    wait: z
      .boolean()
      .default(true)
      .describe('false: answer 202 with a job to watch at GET /v1/model/jobs/:jobId'),
  })
  .default({ horizonDays: HORIZON_DAYS.default, wait: true });

const backtestBody = z.object({
  asOf: asOfSchema.describe('Train and score as of this time; outcomes are read after it'),
  horizonDays,
  includePredictions: z
    .boolean()
    .default(false)
    .describe("Also answer every account's prediction and outcome"),
  wait: z.boolean().default(true),
});

const FACTOR_OF_INPUT = new Map(INPUTS.map((input) => [input.name, input.factor]));

const run = (model: StoredModel | null) =>
  model && {
    id: model.id,
    createdAt: model.createdAt,
    trainedAsOf: model.trainedAsOf,
    adopted: model.active,
    report: model.report,
  };

/**
 * `GET /v1/model`, `POST /v1/model/train`, `POST /v1/model/backtest` and the jobs that watch
 * them: the churn model in use, learning it from the project's history as of a time, and
 * checking it against what happened.
 */
export function modelRoutes(app: FastifyInstance): void {
  const { db, heavyWork } = app.services;
  const jobs = new ModelJobs(db);
  const inBackground = <T>(work: () => Promise<T>) =>
    work().catch((error: unknown) => {
      if (!(error instanceof AppError)) app.log.error({ err: error }, 'model run failed');
      throw error;
    });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/model',
    auth: 'secret',
    summary: 'The churn model in use now, its learned weights in words, and its held-out metrics',
    tags: ['model'],
    response: modelResponseSchema,
    handler: async ({ projectId }) => {
      const [settings, inUse, latest] = await Promise.all([
        getProjectSettings(db, projectId),
        modelInUse(db, projectId, new Date()),
        latestTraining(db, projectId),
      ]);
      const weights = inUse?.weights;
      const factors = DEFAULT_FACTORS.map(({ key, weight }) => {
        const learnedPoints = weights?.kind === 'learned' ? (weights.points[key] ?? null) : null;
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
        horizonDays: weights?.kind === 'additive' ? weights.horizonDays : null,
        factors,
        learnedWeights:
          weights?.kind === 'additive' ? describeModel(weights, FACTOR_OF_INPUT) : null,
        model: run(inUse),
        latestTraining: run(latest),
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/model/train',
    auth: 'secret',
    summary: 'Learn a churn model from the project history as of a time (422 without enough)',
    tags: ['model'],
    body: trainBody,
    response: z.union([trainingRunSchema, modelJobSchema]),
    handler: async ({ body, projectId, reply }) => {
      // Training scores every account at many snapshot times: the heaviest work there is.
      const key = `train:${body.asOf?.toISOString() ?? 'now'}:${body.horizonDays}`;
      const train = (onProgress?: (progress: JobProgress) => void) =>
        heavyWork.run(projectId, key, () =>
          trainModel(db, projectId, { asOf: body.asOf, horizonDays: body.horizonDays, onProgress }),
        );
      if (body.wait) return run((await train()).stored);
      reply.code(202);
      return jobs.start(projectId, 'train', (progress) =>
        inBackground(async () => run((await train(progress)).stored)),
      );
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/model/backtest',
    auth: 'secret',
    summary: 'Train as of a time, score every active account then and compare with what happened',
    tags: ['model'],
    body: backtestBody,
    response: z.union([backtestSchema, modelJobSchema]),
    handler: async ({ body, projectId, reply }) => {
      const key = `backtest:${body.asOf.toISOString()}:${body.horizonDays}:${body.includePredictions}`;
      const backtest = (onProgress?: (progress: JobProgress) => void) =>
        heavyWork.run(projectId, key, () =>
          backtestProject(db, projectId, { ...body, onProgress }),
        );
      if (body.wait) return backtest();
      reply.code(202);
      return jobs.start(projectId, 'backtest', (progress) =>
        inBackground(() => backtest(progress)),
      );
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/model/jobs',
    auth: 'secret',
    summary: "The project's recent training and backtest runs started with wait: false",
    tags: ['model'],
    response: z.object({ jobs: z.array(modelJobSchema) }),
    handler: async ({ projectId }) => ({ jobs: await jobs.list(projectId) }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/model/jobs/:jobId',
    auth: 'secret',
    summary: 'One run: its progress, time taken, and its result or error',
    tags: ['model'],
    params: z.object({ jobId: z.string().max(64) }),
    response: modelJobSchema,
    handler: async ({ params, projectId }) => {
      const job = await jobs.get(projectId, params.jobId);
      if (!job) throw new AppError('not_found', { message: `No job ${params.jobId}` });
      return job;
    },
  });
}
