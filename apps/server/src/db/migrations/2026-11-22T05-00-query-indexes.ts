import { type Kysely, sql } from 'kysely';

/**
 * Partial indexes for the risk features' unbounded look-backs: an account's last login day and
 * first milestone day. Without them an account that never reached a milestone (or stopped
 * logging in long ago) is scanned day by day through its whole history, so the cost of
 * scoring grew with the history's length; with them each is one index descent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index account_daily_login_days on account_daily (project_id, account_id, day)
      where logins > 0;
    create index account_daily_milestone_days on account_daily (project_id, account_id, day)
      where milestones > 0;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index account_daily_login_days, account_daily_milestone_days`.execute(db);
}
