import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { ScoredAccount } from '../risk/score-accounts.js';
import { alertPayload } from './alert-payload.js';
import {
  type Milestone,
  type State,
  stateChanged,
  transitionId,
  transitionsOf,
  type Watcher,
} from './transitions.js';

/** What one detection run compares each slice of accounts with. */
export interface Watch {
  projectId: string;
  asOf: Date;
  watchers: Watcher[];
  feed: Watcher;
  inactivityDays: number;
  basis: string;
  milestones: Map<string, Milestone[]>;
}

type StateRow = State & {
  project_id: string;
  webhook_id: string;
  account_id: string;
  basis: string;
};

/** Compares one slice of scored accounts with what each watcher last saw, and records what changed. */
export async function recordTransitions(
  db: Db,
  watch: Watch,
  scored: ScoredAccount[],
): Promise<{ alerts: number; enqueued: number }> {
  if (scored.length === 0) return { alerts: 0, enqueued: 0 };
  const { projectId, asOf, basis } = watch;
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`tenure-alerts:${projectId}`}))`.execute(tx);
    const stateRows = await tx
      .selectFrom('alert_states')
      .selectAll()
      .where('project_id', '=', projectId)
      .where(
        'webhook_id',
        'in',
        watch.watchers.map((watcher) => watcher.id),
      )
      .where(
        'account_id',
        'in',
        scored.map((account) => account.features.accountId),
      )
      .execute();
    const states = new Map(stateRows.map((row) => [`${row.webhook_id}\n${row.account_id}`, row]));

    const nextStates: StateRow[] = [];
    const alerts = [];
    const deliveries = [];
    for (const watcher of watch.watchers) {
      for (const account of scored) {
        const accountId = account.features.accountId;
        const stored = states.get(`${watcher.id}\n${accountId}`);
        // A run that scored later data has already looked (runs score before taking the lock).
        if (stored && new Date(stored.evaluated_at) > asOf) continue;
        const baseline: State = {
          tier: account.risk.tier,
          score_base: account.risk.score,
          inactive: (account.features.daysSinceLastLogin ?? 0) >= watch.inactivityDays,
          milestones_after: new Date(stored?.milestones_after ?? watcher.created_at),
          evaluated_at: asOf,
        };
        const state = stored && stored.basis === basis ? stored : baseline;
        const { found, next } = transitionsOf(
          watcher,
          state,
          account,
          watch.milestones.get(accountId) ?? [],
          watch.inactivityDays,
          asOf,
        );
        if (!stored || state === baseline || stateChanged(stored, next)) {
          nextStates.push({
            project_id: projectId,
            webhook_id: watcher.id,
            account_id: accountId,
            ...next,
            basis,
          });
        }
        for (const transition of found) {
          const toFeed = watcher === watch.feed;
          const id = transitionId(toFeed ? 'alr' : 'whd', projectId, watcher.id, transition.key);
          const payload = alertPayload({
            id,
            kind: transition.kind,
            projectId,
            occurredAt: asOf,
            features: account.features,
            risk: account.risk,
            transition: transition.transition,
          });
          const row = {
            project_id: projectId,
            id,
            account_id: accountId,
            kind: transition.kind,
            dedup_key: transition.key,
            payload: JSON.stringify(payload),
          };
          if (toFeed) alerts.push({ ...row, detected_at: asOf });
          else deliveries.push({ ...row, webhook_id: watcher.id });
        }
      }
    }
    for (let i = 0; i < nextStates.length; i += 1_000) {
      await tx
        .insertInto('alert_states')
        .values(nextStates.slice(i, i + 1_000))
        .onConflict((oc) =>
          oc.columns(['project_id', 'webhook_id', 'account_id']).doUpdateSet((eb) => ({
            tier: eb.ref('excluded.tier'),
            score_base: eb.ref('excluded.score_base'),
            inactive: eb.ref('excluded.inactive'),
            milestones_after: eb.ref('excluded.milestones_after'),
            evaluated_at: eb.ref('excluded.evaluated_at'),
            basis: eb.ref('excluded.basis'),
          })),
        )
        .execute();
    }
    let added = 0;
    for (let i = 0; i < alerts.length; i += 500) {
      const inserted = await tx
        .insertInto('alert_feed')
        .values(alerts.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['project_id', 'dedup_key']).doNothing())
        .returning('id')
        .execute();
      added += inserted.length;
    }
    let enqueued = 0;
    for (let i = 0; i < deliveries.length; i += 500) {
      const inserted = await tx
        .insertInto('webhook_deliveries')
        .values(deliveries.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['project_id', 'webhook_id', 'dedup_key']).doNothing())
        .returning('id')
        .execute();
      enqueued += inserted.length;
    }
    return { alerts: added, enqueued };
  });
}
