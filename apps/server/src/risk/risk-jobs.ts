import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { DAY_MS } from '../time/utc-day.js';
import { trainModel } from './model/train-model.js';
import { takeSnapshots } from './risk-snapshots.sql.js';

/** Runs `work` for every project; one project's failure is logged and does not stop the rest. */
async function forEachProject(
  app: FastifyInstance,
  job: string,
  work: (projectId: string) => Promise<unknown>,
) {
  const projects = await app.services.db.selectFrom('projects').select('id').execute();
  for (const { id } of projects) {
    try {
      await work(id);
    } catch (error) {
      app.log.error({ err: error, job, projectId: id }, 'risk job failed for a project');
    }
  }
}

/**
 * Periodic risk work: snapshots every TENURE_JOBS_INTERVAL_MINUTES (trends and "entered a worse
 * tier" read them) and a daily retraining of each project's model. A project without enough
 * labelled history simply keeps the default model.
 */
export function registerRiskJobs(app: FastifyInstance): void {
  const { scheduler, config, db, scores } = app.services;
  // The daily pass: stored scores move with time alone (days since the last login grow), so
  // once a day, and after settings or model changes, every account is re-scored. Checked
  // every few minutes (a pass starts soon after midnight UTC) and once at start.
  scheduler.add({
    name: 'current-scores',
    intervalMs: Math.min(config.TENURE_JOBS_INTERVAL_MINUTES, 5) * 60_000,
    run: () => scores.checkProjects(),
  });
  app.addHook('onReady', async () => {
    if (config.TENURE_JOBS_INTERVAL_MINUTES > 0) void scheduler.runNow('current-scores');
  });
  scheduler.add({
    name: 'risk-snapshots',
    intervalMs: config.TENURE_JOBS_INTERVAL_MINUTES * 60_000,
    run: () => forEachProject(app, 'risk-snapshots', (projectId) => takeSnapshots(db, projectId)),
  });
  scheduler.add({
    name: 'risk-model-training',
    intervalMs: config.TENURE_JOBS_INTERVAL_MINUTES > 0 ? DAY_MS : 0,
    run: () =>
      forEachProject(app, 'risk-model-training', async (projectId) => {
        try {
          await trainModel(db, projectId);
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'insufficient_history')) throw error;
        }
      }),
  });
}
