import { type Kysely, sql } from 'kysely';

/**
 * Accounts and MRR per tier of the stored scores (account_score_tiers), kept in the same
 * transaction as every write of account_scores, so the list's header reads a handful of rows
 * instead of counting the project's (a scan that grew with accounts: 40–50 ms at 100,000 rows,
 * load 7; 206 ms p95 at 20,000 under load 36). MRR is summed as `numeric`, exactly: a
 * running float total would drift from a sum over the rows after enough changes.
 *
 * account_scores also leaves 30% of each page free: most re-scorings change neither the
 * score, the MRR nor the last seen day (a login of today counts from tomorrow), and with room
 * on the page such an update is a heap-only tuple, written without touching its four indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_score_tiers (
      project_id text collate "C" not null,
      churned boolean not null,
      tier text not null,
      accounts integer not null,
      mrr numeric not null,
      primary key (project_id, churned, tier)
    );
    insert into account_score_tiers (project_id, churned, tier, accounts, mrr)
      select project_id, churned_at is not null, tier, count(*), coalesce(sum(mrr::numeric), 0)
      from account_scores
      group by 1, 2, 3;
    alter table account_scores set (fillfactor = 70);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table account_score_tiers;
    alter table account_scores reset (fillfactor);
  `.execute(db);
}
