import { randomBytes } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/database.types.js';
import type { ModelJobsTable } from '../../db/tables/risk.table.js';
import { AppError } from '../../errors/app-error.js';

export interface JobProgress {
  step: string;
  done: number;
  total: number;
}

export interface ModelJob {
  id: string;
  projectId: string;
  kind: 'train' | 'backtest';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  progress: JobProgress | null;
  result: unknown;
  error: { code: string; message: string } | null;
}

/** Jobs kept per project, newest first: enough to watch a run and read its outcome. */
const KEPT_PER_PROJECT = 20;
/** How often a running job tells the database that its process is alive. */
const HEARTBEAT_MS = 15_000;
/** A running job not heard of for this long was left by a process that stopped. */
const SILENT_MS = 60_000;
/** Progress is written at most this often (a training reports every snapshot). */
const PROGRESS_MS = 1_000;

const INTERRUPTED = {
  code: 'job_interrupted',
  message: 'The server process running it stopped before it finished; start it again',
};

type Row = Selectable<ModelJobsTable>;

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

function jobOf(row: Row): ModelJob {
  const startedAt = iso(row.started_at)!;
  const finishedAt = iso(row.finished_at);
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    status: row.status,
    startedAt,
    finishedAt,
    durationMs: finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : null,
    progress: (row.progress as JobProgress | null) ?? null,
    result: row.result ?? null,
    error: (row.error as ModelJob['error']) ?? null,
  };
}

/**
 * Training and backtest runs that a client can start and watch (`GET /v1/model/jobs/:id`):
 * progress by step, time taken, and the result or the error. Kept in `model_jobs`, so every
 * server process answers for every run; the process running one renews its heartbeat, and a
 * run whose process stopped (a restart, a crash) is reported failed with `job_interrupted`
 * once it has been silent for a minute. One run per project at a time, across processes:
 * training reads a lot, and two at once would only be slower.
 */
export class ModelJobs {
  constructor(private readonly db: Db) {}

  async start(
    projectId: string,
    kind: ModelJob['kind'],
    run: (progress: (progress: JobProgress) => void) => Promise<unknown>,
  ): Promise<ModelJob> {
    await this.#closeSilent(projectId);
    const now = new Date();
    const inserted = await this.db
      .insertInto('model_jobs')
      .values({
        project_id: projectId,
        id: `job_${randomBytes(8).toString('base64url')}`,
        kind,
        status: 'running',
        started_at: now,
        heartbeat_at: now,
      })
      .onConflict((oc) => oc.column('project_id').where('status', '=', 'running').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const running = (await this.list(projectId)).find((job) => job.status === 'running');
      throw new AppError('model_job_running', {
        message: `A ${running?.kind ?? 'model'} run (${running?.id ?? 'unknown'}) is already running for this project`,
        details: { jobId: running?.id ?? null },
      });
    }
    await this.#trim(projectId);
    const job = jobOf(inserted);
    this.#follow(job, run);
    return job;
  }

  async get(projectId: string, id: string): Promise<ModelJob | undefined> {
    await this.#closeSilent(projectId);
    const row = await this.db
      .selectFrom('model_jobs')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? jobOf(row) : undefined;
  }

  async list(projectId: string): Promise<ModelJob[]> {
    await this.#closeSilent(projectId);
    const rows = await this.db
      .selectFrom('model_jobs')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('started_at', 'desc')
      .limit(KEPT_PER_PROJECT)
      .execute();
    return rows.map(jobOf);
  }

  /** Runs the job here, writing its progress, heartbeat and outcome as it goes. */
  #follow(
    job: ModelJob,
    run: (progress: (progress: JobProgress) => void) => Promise<unknown>,
  ): void {
    const where = { project: job.projectId, id: job.id };
    const update = (set: Record<string, unknown>) =>
      this.db
        .updateTable('model_jobs')
        .set({ heartbeat_at: new Date(), ...set })
        .where('project_id', '=', where.project)
        .where('id', '=', where.id)
        .where('status', '=', 'running')
        .execute();
    let lastProgressAt = 0;
    let latest: JobProgress | null = null;
    let writing: Promise<unknown> = Promise.resolve();
    const write = (set: Record<string, unknown>) => {
      // One write at a time, in order: a late progress write must not follow the outcome.
      writing = writing.then(() => update(set)).catch(() => {});
      return writing;
    };
    const heartbeat = setInterval(() => void write({}), HEARTBEAT_MS);
    heartbeat.unref();
    const finish = (set: Record<string, unknown>) => {
      clearInterval(heartbeat);
      const progress = latest === null ? {} : { progress: JSON.stringify(latest) };
      return write({ finished_at: new Date(), ...progress, ...set });
    };
    run((progress) => {
      latest = progress;
      const now = Date.now();
      if (now - lastProgressAt < PROGRESS_MS) return;
      lastProgressAt = now;
      void write({ progress: JSON.stringify(progress) });
    }).then(
      (result) => finish({ status: 'succeeded', result: JSON.stringify(result ?? null) }),
      (error: unknown) =>
        finish({
          status: 'failed',
          error: JSON.stringify(
            error instanceof AppError
              ? { code: error.code, message: error.message }
              : { code: 'internal', message: 'The run failed; see the server log' },
          ),
        }),
    );
  }

  /** Reports the project's runs left by a process that stopped as interrupted. */
  async #closeSilent(projectId: string): Promise<void> {
    await this.db
      .updateTable('model_jobs')
      .set({ status: 'failed', finished_at: sql`heartbeat_at`, error: JSON.stringify(INTERRUPTED) })
      .where('project_id', '=', projectId)
      .where('status', '=', 'running')
      .where('heartbeat_at', '<', new Date(Date.now() - SILENT_MS))
      .execute();
  }

  /** Keeps the project's newest KEPT_PER_PROJECT runs. */
  async #trim(projectId: string): Promise<void> {
    await this.db
      .deleteFrom('model_jobs')
      .where('project_id', '=', projectId)
      .where('status', '!=', 'running')
      .where(
        'id',
        'not in',
        this.db
          .selectFrom('model_jobs')
          .select('id')
          .where('project_id', '=', projectId)
          .orderBy('started_at', 'desc')
          .limit(KEPT_PER_PROJECT),
      )
      .execute();
  }
}
