import { type Kysely, sql } from 'kysely';

/**
 * Trait history: one row per `group` (account) and `identify` (user) call that set traits, so
 * that an answer as of a past time reads the traits of that time, not the latest ones
 * (`accounts.traits` and `users.traits` keep only the merge of every call). The traits as of T
 * are the time-ordered merge of the rows at or before T, the same merge the ingest writer
 * applies to `accounts.traits`. Calls with no traits are not stored: they change no merge.
 *
 * The primary keys lead with the subject, then time, so "the changes of one account up to T" is
 * one index range. The history of existing calls is filled from `events`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_trait_changes (
      project_id text not null,
      account_id text not null,
      timestamp timestamptz not null,
      message_id text not null,
      traits jsonb not null,
      primary key (project_id, account_id, timestamp, message_id)
    );

    create table user_trait_changes (
      project_id text not null,
      user_id text not null,
      timestamp timestamptz not null,
      message_id text not null,
      traits jsonb not null,
      primary key (project_id, user_id, timestamp, message_id)
    );

    insert into account_trait_changes (project_id, account_id, timestamp, message_id, traits)
    select project_id, account_id, timestamp, message_id, properties from events
    where type = 'group' and account_id is not null and properties <> '{}'
    order by 1, 2, 3, 4
    on conflict do nothing;

    insert into user_trait_changes (project_id, user_id, timestamp, message_id, traits)
    select project_id, user_id, timestamp, message_id, properties from events
    where type = 'identify' and user_id is not null and properties <> '{}'
    order by 1, 2, 3, 4
    on conflict do nothing;

    -- The analyst role (2026-11-22T03-00-analyst) reads every table but keys and settings.
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'tenure_analyst') then
        grant select on account_trait_changes, user_trait_changes to tenure_analyst;
      end if;
    exception when insufficient_privilege then
      raise notice 'tenure_analyst not granted the trait history: %', sqlerrm;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table user_trait_changes, account_trait_changes`.execute(db);
}
