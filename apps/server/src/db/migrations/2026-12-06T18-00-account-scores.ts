import { type Kysely, sql } from 'kysely';

/**
 * Current scores per account (account_scores) and per-project re-scoring state
 * (account_scores_state). The list sorts by risk, MRR or last seen, always descending with the
 * account id as tie-break, so each sort has an index in exactly that order: the first page
 * and every keyset page after it are one index range, whatever the number of accounts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_scores (
      project_id text collate "C" not null,
      account_id text collate "C" not null,
      name text,
      plan text,
      mrr double precision,
      seats integer,
      start_day date not null,
      last_seen_day date,
      churned_at timestamptz,
      score smallint not null,
      tier text not null,
      churn_probability double precision,
      top_factors jsonb not null,
      trend jsonb not null,
      model text not null,
      basis text not null,
      scored_at timestamptz not null,
      primary key (project_id, account_id)
    );
    create index account_scores_by_risk
      on account_scores (project_id, score desc, account_id);
    create index account_scores_by_mrr
      on account_scores (project_id, mrr desc nulls last, account_id);
    create index account_scores_by_last_seen
      on account_scores (project_id, last_seen_day desc nulls last, account_id);

    create table account_scores_state (
      project_id text collate "C" primary key,
      basis text,
      scored_day date,
      pass_basis text,
      pass_day date,
      pass_done integer not null default 0,
      pass_total integer not null default 0,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table account_scores, account_scores_state`.execute(db);
}
