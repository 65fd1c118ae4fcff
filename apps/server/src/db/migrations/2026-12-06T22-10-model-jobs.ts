import { type Kysely, sql } from 'kysely';

/**
 * Training and backtest runs started with `wait: false` (`GET /v1/model/jobs/:id`), kept in the
 * database instead of the process that runs them: any server process answers for any run, and
 * a run whose process stopped is reported as interrupted instead of forgotten. The running
 * process renews `heartbeat_at`; at most one run per project is `running` (the partial unique
 * index decides between processes starting at once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table model_jobs (
      project_id text collate "C" not null,
      id text collate "C" not null,
      kind text not null check (kind in ('train', 'backtest')),
      status text not null check (status in ('running', 'succeeded', 'failed')),
      started_at timestamptz not null,
      finished_at timestamptz,
      heartbeat_at timestamptz not null,
      progress jsonb,
      result jsonb,
      error jsonb,
      primary key (project_id, id)
    );
    create index model_jobs_newest on model_jobs (project_id, started_at desc);
    create unique index model_jobs_one_running on model_jobs (project_id) where status = 'running';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table model_jobs`.execute(db);
}
