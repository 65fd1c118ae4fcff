import { type Kysely, sql } from 'kysely';

/**
 * `account_scores.features`: the `AccountFeatures` a kept row was scored from, today's activity
 * included. The score keeper scores a row again from these features with what moves within a
 * day read anew instead of reading them all again (risk/rescore-accounts.ts), and the list
 * writes a page's messages of today from them (risk/list-today.ts). Rows from before this
 * migration have none until the next pass, or a full scoring of their account, writes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores add column features jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores drop column features`.execute(db);
}
