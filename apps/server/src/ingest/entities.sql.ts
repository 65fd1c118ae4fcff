import { sql } from 'kysely';
import { PROJECT } from './writer-parameters.js';
import type { WriterStep } from './writer-step.sql.js';

/**
 * `first_seen`/`last_seen` of users, accounts and memberships are kept to the hour: a row is
 * rewritten only when something else changed or its last_seen moves by an hour or more. A
 * busy user would otherwise cost a new row version on every flush, the largest part of the
 * write cost (see docs/benchmarks.md). Exact times are in the events and daily rollups.
 *
 * The rule is applied twice. Before the upsert, against the row as the statement's snapshot
 * saw it, so that rows with nothing to change are not even locked (`on conflict do update`
 * locks the row, and writes WAL for the lock, even when its `where` is false); this is safe
 * because a row's window only ever widens, so a newer version covers at least as much. And
 * in the upsert's `where`, against the row as it is when locked.
 *
 * Written as a difference of two times (immutable) rather than `last_seen + interval` (stable,
 * as it depends on the time zone): Citus accepts only immutable functions in the `where` of an
 * `on conflict` clause.
 */
function seenChanged(incoming: string, current: string) {
  const [seen, row] = [sql.raw(incoming), sql.raw(current)];
  return sql`(${seen}.first_seen < ${row}.first_seen
    or ${seen}.last_seen - ${row}.last_seen >= interval '1 hour')`;
}

// Traits merge by time, not by arrival: a late-arriving older identify must not overwrite
// newer traits, so the newer side's keys win either way.
function mergeTraits(table: 'users' | 'accounts') {
  const t = sql.raw(table);
  return sql`
    traits = case
      when excluded.traits_at is null then ${t}.traits
      when ${t}.traits_at is null or excluded.traits_at >= ${t}.traits_at
        then ${t}.traits || excluded.traits
      else excluded.traits || ${t}.traits end,
    traits_at = greatest(${t}.traits_at, excluded.traits_at),
    first_seen = least(${t}.first_seen, excluded.first_seen),
    last_seen = greatest(${t}.last_seen, excluded.last_seen)`;
}

/** Keeps the trait calls (group for accounts, identify for users) among the new events. */
function traitChanges(subject: 'account' | 'user'): WriterStep {
  const [name, table, id, call] =
    subject === 'account'
      ? ['account_traits', 'account_trait_changes', 'account_id', 'group']
      : ['user_traits', 'user_trait_changes', 'user_id', 'identify'];
  const column = sql.raw(id);
  return {
    name,
    target: sql`${sql.raw(table)} (project_id, ${column}, timestamp, message_id, traits)`,
    rows: sql`
      select ${column}, timestamp, message_id, properties
      from ins where type = ${sql.lit(call)} and ${column} is not null and properties <> '{}'`,
    fedBy: (record) => record.type === call,
    keyOrder: [2, 3, 4],
    onConflict: sql`on conflict do nothing`,
  };
}

/**
 * The entity steps of the writer, over `ins` (the events it inserted) and `flush_links` (the
 * flush's identify and alias links): trait history, users, accounts, memberships and
 * identities. Trait history is kept for answers as of a past time (accounts and users keep
 * only the merge), from new events only, so a retried batch adds none; calls without traits
 * change no merge and are not kept. The current rows are read by a join pinned to the
 * project, so that a step never reads another project's rows.
 */
export const ENTITY_STEPS: WriterStep[] = [
  traitChanges('account'),
  traitChanges('user'),
  {
    name: 'user_rows',
    target: sql`users (project_id, user_id, traits, traits_at, account_id, account_at,
        first_seen, last_seen)`,
    rows: sql`
      select seen.* from (
        select user_id,
          coalesce(tenure_jsonb_merge(properties order by timestamp)
            filter (where type = 'identify'), '{}') as traits,
          max(timestamp) filter (where type = 'identify') as traits_at,
          (array_agg(account_id order by timestamp desc) filter (where type = 'group'))[1]
            as account_id,
          max(timestamp) filter (where type = 'group') as account_at,
          min(timestamp) as first_seen, max(timestamp) as last_seen
        from ins where user_id is not null group by 1
      ) seen
      left join users cur on cur.project_id = ${PROJECT} and cur.user_id = seen.user_id
      where cur.user_id is null or seen.traits_at is not null or seen.account_at is not null
        or ${seenChanged('seen', 'cur')}`,
    keyOrder: [2],
    onConflict: sql`on conflict (project_id, user_id) do update set ${mergeTraits('users')},
        account_id = case when excluded.account_at >= coalesce(users.account_at, '-infinity')
          then excluded.account_id else users.account_id end,
        account_at = greatest(users.account_at, excluded.account_at)
      where excluded.traits_at is not null or excluded.account_at is not null
        or ${seenChanged('excluded', 'users')}`,
  },
  {
    name: 'account_rows',
    target: sql`accounts (project_id, account_id, traits, traits_at, first_seen, last_seen)`,
    rows: sql`
      select seen.* from (
        select account_id,
          coalesce(tenure_jsonb_merge(properties order by timestamp)
            filter (where type = 'group'), '{}') as traits,
          max(timestamp) filter (where type = 'group') as traits_at,
          min(timestamp) as first_seen, max(timestamp) as last_seen
        from ins where account_id is not null group by 1
      ) seen
      left join accounts cur on cur.project_id = ${PROJECT} and cur.account_id = seen.account_id
      where cur.account_id is null or seen.traits_at is not null
        or ${seenChanged('seen', 'cur')}`,
    keyOrder: [2],
    onConflict: sql`on conflict (project_id, account_id) do update set ${mergeTraits('accounts')}
      where excluded.traits_at is not null or ${seenChanged('excluded', 'accounts')}`,
  },
  {
    name: 'memberships',
    target: sql`account_users (project_id, account_id, user_id, first_seen, last_seen)`,
    rows: sql`
      select seen.* from (
        select account_id, user_id, min(timestamp) as first_seen, max(timestamp) as last_seen
        from ins where account_id is not null and user_id is not null group by 1, 2
      ) seen
      left join account_users cur on cur.project_id = ${PROJECT}
        and cur.account_id = seen.account_id and cur.user_id = seen.user_id
      where cur.user_id is null or ${seenChanged('seen', 'cur')}`,
    keyOrder: [2, 3],
    onConflict: sql`on conflict (project_id, account_id, user_id) do update set
        first_seen = least(account_users.first_seen, excluded.first_seen),
        last_seen = greatest(account_users.last_seen, excluded.last_seen)
      where ${seenChanged('excluded', 'account_users')}`,
  },
  {
    name: 'links',
    target: sql`identities (project_id, anonymous_id, user_id, linked_at)`,
    rows: sql`select anonymous_id, user_id, linked_at from flush_links`,
    fedBy: (record) => record.type === 'alias' || record.type === 'identify',
    keyOrder: [2],
    onConflict: sql`on conflict (project_id, anonymous_id) do update set
        user_id = excluded.user_id, linked_at = excluded.linked_at
        where excluded.linked_at >= identities.linked_at`,
  },
];
