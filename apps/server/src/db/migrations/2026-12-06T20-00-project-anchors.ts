import { type Kysely, sql } from 'kysely';

/**
 * One row per project that has written events, distributed on Citus like every project table.
 * On Citus the ingest writer takes each row's project_id from here (ingest/citus-writer.sql.ts):
 * Citus sends an `insert … select` whole to the one shard of the project only when the
 * inserted project_id is a distribution column of a table in the select, never a parameter.
 * The writer adds the row itself; elsewhere the table stays empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table project_anchors (project_id text collate "C" primary key)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table project_anchors`.execute(db);
}
