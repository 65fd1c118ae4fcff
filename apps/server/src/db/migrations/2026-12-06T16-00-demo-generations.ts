import { type Kysely, sql } from 'kysely';

/**
 * The demo project's generation: its keys and how far the data got. Keys live with the database
 * they open (not in the data folder, which a Postgres demo never uses), and a generation that was
 * interrupted is known as such on the next start (`finished_at` still null) and resumed over the
 * same window. Only `tenure demo` writes here; real projects' keys are stored hashed only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table demo_generations (
      project_id text collate "C" primary key references projects (id) on delete cascade,
      write_key text not null,
      secret_key text not null,
      accounts integer not null,
      days integer not null,
      window_end timestamptz not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table demo_generations`.execute(db);
}
