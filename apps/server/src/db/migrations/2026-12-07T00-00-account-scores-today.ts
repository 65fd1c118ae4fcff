import { type Kysely, sql } from 'kysely';

/**
 * `account_scores.today`: the day's activity a kept row's messages were written with
 * (`TodayActivity`). The score keeper weighs an account's new events of the day against it and
 * re-scores only when they change what the row says (risk/today-delta.ts); rows from before
 * this migration have none, and are re-scored on their account's next event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores add column today jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores drop column today`.execute(db);
}
