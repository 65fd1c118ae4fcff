import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { AlertTrigger } from '../db/tables/alerts.table.js';
import type { RiskTier } from '../risk/risk.types.js';
import { tierRank } from '../risk/risk-tier.js';
import { type ScoredAccount, scoreProject } from '../risk/score-accounts.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { addDays, utcDay } from '../time/utc-day.js';
import { alertPayload, type Transition } from './alert-payload.js';

interface Webhook {
  id: string;
  triggers: AlertTrigger[];
  score_increase: number;
  created_at: Date;
}

interface State {
  tier: string;
  score_base: number;
  inactive: boolean;
  milestones_after: Date;
  evaluated_at: Date;
}

interface Milestone {
  account_id: string;
  message_id: string;
  timestamp: Date;
  milestone: string | null;
}

interface Found {
  kind: AlertTrigger;
  /** Identifies the account's transition: detecting it again enqueues nothing. */
  key: string;
  transition: Transition;
}

/** A delivery id derived from the transition, so the same transition has the same id. */
const deliveryId = (projectId: string, webhookId: string, key: string) =>
  `whd_${createHash('sha256').update(`${projectId}\n${webhookId}\n${key}`).digest('base64url').slice(0, 22)}`;

/**
 * What changed for one webhook and account since the webhook last looked: a worse tier, a score
 * at least `score_increase` points above the last notified (or lowest since) score, crossing
 * the inactivity threshold, and milestones reached since. Returns the transitions and the
 * state to remember.
 */
export function transitionsOf(
  webhook: Webhook,
  state: State,
  account: ScoredAccount,
  milestones: readonly Milestone[],
  inactivityDays: number,
  asOf: Date,
): { found: Found[]; next: State } {
  const { risk, features } = account;
  const since = state.evaluated_at.toISOString();
  // Keys are unique per webhook in the outbox, so each names its account: two accounts that
  // go from healthy to watch in the same run are two transitions. (Without the account, the
  // second was dropped as a repeat of the first.) The id's length first keeps the key
  // unambiguous whatever characters the id holds.
  const keyOf = (transition: string) =>
    `${features.accountId.length}:${features.accountId}|${transition}`;
  const wants = (trigger: AlertTrigger) => webhook.triggers.includes(trigger);
  const found: Found[] = [];
  const inactive = (features.daysSinceLastLogin ?? 0) >= inactivityDays;
  let scoreBase = Math.min(state.score_base, risk.score);

  if (wants('tier_worsened') && tierRank(risk.tier) > tierRank(state.tier as RiskTier)) {
    found.push({
      kind: 'tier_worsened',
      key: keyOf(`tier_worsened:${state.tier}>${risk.tier}:${since}`),
      transition: { from: state.tier, to: risk.tier },
    });
  }
  if (wants('score_increased') && risk.score - scoreBase >= webhook.score_increase) {
    found.push({
      kind: 'score_increased',
      key: keyOf(`score_increased:${scoreBase}>${risk.score}:${since}`),
      transition: { fromScore: scoreBase, toScore: risk.score, increase: risk.score - scoreBase },
    });
    scoreBase = risk.score;
  }
  if (wants('inactive') && inactive && !state.inactive) {
    const lastLogin =
      features.daysSinceLastLogin === null
        ? 'never'
        : addDays(utcDay(asOf), -features.daysSinceLastLogin);
    found.push({
      kind: 'inactive',
      key: keyOf(`inactive:${lastLogin}`),
      transition: { daysSinceLastLogin: features.daysSinceLastLogin, threshold: inactivityDays },
    });
  }
  let milestonesAfter = state.milestones_after;
  for (const milestone of milestones) {
    if (milestone.timestamp <= state.milestones_after) continue;
    if (wants('milestone_reached')) {
      found.push({
        kind: 'milestone_reached',
        key: keyOf(`milestone_reached:${milestone.message_id}`),
        transition: {
          milestone: milestone.milestone ?? 'milestone',
          reachedAt: milestone.timestamp.toISOString(),
        },
      });
    }
    if (milestone.timestamp > milestonesAfter) milestonesAfter = milestone.timestamp;
  }
  return {
    found,
    next: {
      tier: risk.tier,
      score_base: scoreBase,
      inactive,
      milestones_after: milestonesAfter,
      evaluated_at: asOf,
    },
  };
}

async function milestonesSince(db: Db, projectId: string, after: Date, asOf: Date) {
  const rows = await db
    .selectFrom('events')
    .select([
      'account_id',
      'message_id',
      'timestamp',
      sql<string | null>`properties ->> 'milestone'`.as('milestone'),
    ])
    .where('project_id', '=', projectId)
    .where('timestamp', '>', after)
    .where('timestamp', '<=', asOf)
    .where('type', '=', 'track')
    .where('event', '=', 'milestone_reached')
    .where('account_id', 'is not', null)
    .orderBy('timestamp')
    .execute();
  const byAccount = new Map<string, Milestone[]>();
  for (const row of rows) {
    const list = byAccount.get(row.account_id!) ?? [];
    list.push({ ...row, account_id: row.account_id!, timestamp: new Date(row.timestamp) });
    byAccount.set(row.account_id!, list);
  }
  return byAccount;
}

/**
 * Re-scores the project's accounts as of `asOf` and enqueues one delivery per transition per
 * webhook into the outbox, in one transaction under a per-project lock: runs that overlap (a
 * schedule and a burst of events, or two server processes) see each other's state and never
 * enqueue a transition twice. The first look at an account sets its baseline without
 * notifying, except for milestones reached after the webhook was created.
 *
 * @returns how many deliveries were enqueued
 */
export async function detectTransitions(
  db: Db,
  projectId: string,
  asOf = new Date(),
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`tenure-alerts:${projectId}`}))`.execute(tx);
    const webhooks = await tx
      .selectFrom('webhooks')
      .select(['id', 'triggers', 'score_increase', 'created_at'])
      .where('project_id', '=', projectId)
      .where('deleted_at', 'is', null)
      .execute();
    if (webhooks.length === 0) return 0;
    const [{ scored }, settings, stateRows] = await Promise.all([
      scoreProject(tx, projectId, { asOf }),
      getProjectSettings(tx, projectId),
      tx.selectFrom('alert_states').selectAll().where('project_id', '=', projectId).execute(),
    ]);
    const states = new Map(stateRows.map((row) => [`${row.webhook_id}\n${row.account_id}`, row]));
    let earliest = Math.min(...webhooks.map((webhook) => new Date(webhook.created_at).getTime()));
    for (const row of stateRows)
      earliest = Math.min(earliest, new Date(row.milestones_after).getTime());
    const milestones = await milestonesSince(tx, projectId, new Date(earliest), asOf);

    const nextStates: Array<
      State & { project_id: string; webhook_id: string; account_id: string }
    > = [];
    const deliveries = [];
    for (const webhook of webhooks) {
      for (const account of scored) {
        const accountId = account.features.accountId;
        const state: State = states.get(`${webhook.id}\n${accountId}`) ?? {
          tier: account.risk.tier,
          score_base: account.risk.score,
          inactive: (account.features.daysSinceLastLogin ?? 0) >= settings.inactivityDays,
          milestones_after: new Date(webhook.created_at),
          evaluated_at: asOf,
        };
        const { found, next } = transitionsOf(
          webhook,
          state,
          account,
          milestones.get(accountId) ?? [],
          settings.inactivityDays,
          asOf,
        );
        nextStates.push({
          project_id: projectId,
          webhook_id: webhook.id,
          account_id: accountId,
          ...next,
        });
        for (const transition of found) {
          const id = deliveryId(projectId, webhook.id, transition.key);
          const payload = alertPayload({
            id,
            kind: transition.kind,
            projectId,
            occurredAt: asOf,
            features: account.features,
            risk: account.risk,
            transition: transition.transition,
          });
          deliveries.push({
            project_id: projectId,
            id,
            webhook_id: webhook.id,
            account_id: accountId,
            kind: transition.kind,
            dedup_key: transition.key,
            payload: JSON.stringify(payload),
          });
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
          })),
        )
        .execute();
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
    return enqueued;
  });
}
