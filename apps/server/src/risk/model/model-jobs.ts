import { randomBytes } from 'node:crypto';
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

/**
 * Training and backtest runs that a client can start and watch (`GET /v1/model/jobs/:id`):
 * progress by step, time taken, and the result or the error. They live in the process that
 * runs them (a restart forgets them; the stored training runs stay in `risk_models`). One run
 * per project at a time: training reads a lot, and two at once would only be slower.
 */
export class ModelJobs {
  readonly #jobs = new Map<string, ModelJob[]>();

  start(
    projectId: string,
    kind: ModelJob['kind'],
    run: (progress: (progress: JobProgress) => void) => Promise<unknown>,
  ): ModelJob {
    const jobs = this.#jobs.get(projectId) ?? [];
    const running = jobs.find((job) => job.status === 'running');
    if (running) {
      throw new AppError('model_job_running', {
        message: `A ${running.kind} run (${running.id}) is already running for this project`,
        details: { jobId: running.id },
      });
    }
    const job: ModelJob = {
      id: `job_${randomBytes(8).toString('base64url')}`,
      projectId,
      kind,
      status: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      durationMs: null,
      progress: null,
      result: null,
      error: null,
    };
    this.#jobs.set(projectId, [job, ...jobs].slice(0, KEPT_PER_PROJECT));
    const finish = (status: ModelJob['status']) => {
      job.status = status;
      job.finishedAt = new Date().toISOString();
      job.durationMs = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
    };
    run((progress) => {
      job.progress = progress;
    }).then(
      (result) => {
        job.result = result;
        finish('succeeded');
      },
      (error: unknown) => {
        job.error =
          error instanceof AppError
            ? { code: error.code, message: error.message }
            : { code: 'internal', message: 'The run failed; see the server log' };
        finish('failed');
      },
    );
    return job;
  }

  get(projectId: string, id: string): ModelJob | undefined {
    return this.#jobs.get(projectId)?.find((job) => job.id === id);
  }

  list(projectId: string): ModelJob[] {
    return this.#jobs.get(projectId) ?? [];
  }
}
