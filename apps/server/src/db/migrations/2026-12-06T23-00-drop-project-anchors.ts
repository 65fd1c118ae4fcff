import { type Kysely, sql } from 'kysely';

/**
 * `project_anchors` (2026-12-06T20-00-project-anchors) is no longer read: the writer on Citus
 * writes by `insert … values` with the project as a parameter, which Citus routes to the
 * project's shard by itself (ingest/citus-writer.sql.ts). On a distributed database Citus
 * drops the shards with the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop table project_anchors`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create table project_anchors (project_id text collate "C" primary key)`.execute(db);
}
