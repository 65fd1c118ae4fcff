import { type Kysely, sql } from 'kysely';

/**
 * `account_scores.features`: the `AccountFeatures` a kept row was scored from, today's activity
 * included. The score keeper weighs an account's new events of the day against the row's
 * `today`, and when they change only that, scores the row again from these features with the
 * day's new activity instead of reading them all again (risk/today-delta.ts,
 * risk/rescore-accounts.ts). Rows from before this migration have none: their accounts are
 * scored in full on their next event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores add column features jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores drop column features`.execute(db);
}
