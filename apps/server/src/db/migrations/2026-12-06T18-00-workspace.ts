import { type Kysely, sql } from 'kysely';

/**
 * The web workspace's people: dashboard users (email + scrypt hash), their role per project,
 * and their sessions. These tables are not keyed by project: a person may belong to several
 * projects, and they stay small (reference tables under Citus). Ids compare as bytes
 * (collation "C"), as everywhere else (2026-12-01T01-00-byte-order-ids). The demo's generated
 * workspace password joins its keys in demo_generations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dashboard_users (
      id text collate "C" primary key,
      email text not null unique,
      password_hash text not null,
      created_at timestamptz not null default now()
    );

    create table dashboard_memberships (
      user_id text collate "C" not null references dashboard_users (id) on delete cascade,
      project_id text collate "C" not null references projects (id) on delete cascade,
      role text not null check (role in ('admin', 'viewer')),
      created_at timestamptz not null default now(),
      primary key (user_id, project_id)
    );

    create table dashboard_sessions (
      token_hash text primary key,
      user_id text collate "C" not null references dashboard_users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index dashboard_sessions_user on dashboard_sessions (user_id);
    create index dashboard_sessions_expiry on dashboard_sessions (expires_at);

    -- The demo's workspace password, kept with its keys so that each database prints a sign-in
    -- that works (the users table holds only its hash).
    alter table demo_generations add column workspace_password text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table demo_generations drop column workspace_password;
    drop table dashboard_sessions, dashboard_memberships, dashboard_users;
  `.execute(db);
}
