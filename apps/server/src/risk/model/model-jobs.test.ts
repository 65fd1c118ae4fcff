import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../../test/test-database.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { DatabaseHandle } from '../../db/open-database.js';
import { AppError } from '../../errors/app-error.js';
import { type JobProgress, type ModelJob, ModelJobs } from './model-jobs.js';

/** A run the test finishes when it wants, reporting progress meanwhile. */
function controlledRun() {
  let report: (progress: JobProgress) => void = () => {};
  let settle: { resolve(value: unknown): void; reject(error: unknown): void } | undefined;
  const run = (progress: (progress: JobProgress) => void) => {
    report = progress;
    return new Promise<unknown>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return {
    run,
    progress: (step: string, done: number, total: number) => report({ step, done, total }),
    succeed: (value: unknown) => settle!.resolve(value),
    fail: (error: unknown) => settle!.reject(error),
  };
}

describe.each(engines)('model jobs on %s', (engine) => {
  let database: DatabaseHandle;
  // Two server processes on one database: each has its own ModelJobs.
  let here: ModelJobs;
  let there: ModelJobs;
  let projects = 0;
  const nextProject = () => {
    projects += 1;
    return `prj_jobs_${projects}`;
  };
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const migration = await migrateToLatest(database.db);
    if (migration.error) throw migration.error;
    here = new ModelJobs(database.db);
    there = new ModelJobs(database.db);
  });
  afterAll(() => database?.close());

  it('shows a run started by one process, its progress and result, to another', async () => {
    const projectId = nextProject();
    const runner = controlledRun();
    const started = await here.start(projectId, 'train', runner.run);
    expect(started).toMatchObject({ status: 'running', kind: 'train', progress: null });
    runner.progress('snapshots', 3, 10);
    await until(async () => (await there.get(projectId, started.id))?.progress !== null);
    expect((await there.get(projectId, started.id))?.progress).toEqual({
      step: 'snapshots',
      done: 3,
      total: 10,
    });
    runner.progress('evaluating', 10, 10);
    runner.succeed({ trainedAsOf: '2026-11-01T00:00:00.000Z' });
    await until(async () => (await there.get(projectId, started.id))?.status !== 'running');
    const done = (await there.get(projectId, started.id)) as ModelJob;
    expect(done).toMatchObject({
      status: 'succeeded',
      result: { trainedAsOf: '2026-11-01T00:00:00.000Z' },
      progress: { step: 'evaluating', done: 10, total: 10 },
      error: null,
    });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(await there.list(projectId)).toEqual([done]);
    expect(await there.get(nextProject(), started.id)).toBeUndefined();
  });

  it('runs one job per project at a time, whichever process asks', async () => {
    const projectId = nextProject();
    const runner = controlledRun();
    const started = await here.start(projectId, 'backtest', runner.run);
    const refused = await there.start(projectId, 'train', controlledRun().run).catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'model_job_running', details: { jobId: started.id } });
    // Another project is not held up.
    const other = controlledRun();
    await there.start(nextProject(), 'train', other.run);
    other.succeed(null);
    runner.fail(new AppError('insufficient_history', { message: 'Not enough churn' }));
    await until(async () => (await here.get(projectId, started.id))?.status !== 'running');
    expect(await here.get(projectId, started.id)).toMatchObject({
      status: 'failed',
      error: { code: 'insufficient_history', message: 'Not enough churn' },
    });
    const next = controlledRun();
    await expect(there.start(projectId, 'train', next.run)).resolves.toMatchObject({
      status: 'running',
    });
    next.succeed(null);
  });

  it('reports a run whose process stopped as interrupted, and lets a new one start', async () => {
    const projectId = nextProject();
    // The process that started it never finishes it, and stops renewing its heartbeat.
    const abandoned = await here.start(projectId, 'train', () => new Promise(() => {}));
    expect((await there.get(projectId, abandoned.id))?.status).toBe('running');
    await database.db
      .updateTable('model_jobs')
      .set({ heartbeat_at: new Date(Date.now() - 5 * 60_000) })
      .where('id', '=', abandoned.id)
      .execute();
    expect(await there.get(projectId, abandoned.id)).toMatchObject({
      status: 'failed',
      error: { code: 'job_interrupted' },
    });
    const fresh = controlledRun();
    await expect(there.start(projectId, 'train', fresh.run)).resolves.toMatchObject({
      status: 'running',
    });
    fresh.succeed(null);
  });

  it('keeps the 20 newest runs of a project', async () => {
    const projectId = nextProject();
    const ids: string[] = [];
    for (let i = 0; i < 23; i += 1) {
      const runner = controlledRun();
      const job = await here.start(projectId, 'train', runner.run);
      ids.push(job.id);
      runner.succeed(i);
      await until(async () => (await here.get(projectId, job.id))?.status === 'succeeded');
      // Runs start at distinct milliseconds, as runs a client starts one after another do.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const kept = await there.list(projectId);
    expect(kept.map((job) => job.id)).toEqual(ids.slice(3).reverse());
  });
});
