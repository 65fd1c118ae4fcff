import { type Kysely, sql } from 'kysely';

/**
 * The risk context's tables. `risk_models` keeps every training run with its held-out
 * metrics; `risk_snapshots` keeps scores over time (trends, "entered a worse tier"). Both are
 * keyed by `project_id` first, like every Tenure table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table risk_models (
      project_id text not null,
      id text not null,
      created_at timestamptz not null default now(),
      kind text not null check (kind in ('default', 'learned')),
      weights jsonb not null,
      metrics jsonb not null,
      -- Adopted: it beat the default model on the held-out window. The model in use at a time T
      -- is the latest adopted one created at or before T.
      active boolean not null default false,
      primary key (project_id, id)
    );
    create index risk_models_active on risk_models (project_id, created_at) where active;

    create table risk_snapshots (
      project_id text not null,
      account_id text not null,
      taken_at timestamptz not null,
      score real not null,
      tier text not null,
      factors jsonb not null,
      primary key (project_id, account_id, taken_at)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table risk_snapshots, risk_models`.execute(db);
}
