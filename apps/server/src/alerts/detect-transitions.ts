import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { AlertTrigger } from '../db/tables/alerts.table.js';
import type { RiskTier } from '../risk/risk.types.js';
import { tierRank } from '../risk/risk-tier.js';
import { type ScoredAccount, scoreProject } from '../risk/score-accounts.js';
import { scoringBasis } from '../risk/scoring-basis.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { addDays, DAY_MS, utcDay } from '../time/utc-day.js';
import {
  ALERT_TRIGGERS,
  alertPayload,
  DEFAULT_SCORE_INCREASE,
  type Transition,
} from './alert-payload.js';

/** Who detection looks for transitions for: each live webhook, and the project's own feed. */
interface Watcher {
  id: string;
  triggers: readonly AlertTrigger[];
  score_increase: number;
  /** Milestones reached after this time are news on a first look at an account. */
  created_at: Date;
}

/**
 * The project's early-warnings feed watches every account as a webhook subscribed to every
 * trigger would. Its states are kept in `alert_states` under this id, which no webhook's id
 * (`wh_…`) can be.
 */
const FEED_WATCHER = 'feed';

const feedWatcher = (since: Date): Watcher => ({
  id: FEED_WATCHER,
  triggers: ALERT_TRIGGERS,
  score_increase: DEFAULT_SCORE_INCREASE,
  created_at: since,
});

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
  /** Identifies the account's transition: detecting it again records nothing. */
  key: string;
  transition: Transition;
}

/** An id derived from the transition, so the same transition always has the same id. */
const transitionId = (prefix: string, projectId: string, watcherId: string, key: string) =>
  `${prefix}_${createHash('sha256').update(`${projectId}\n${watcherId}\n${key}`).digest('base64url').slice(0, 22)}`;

/**
 * What changed for one watcher and account since the watcher last looked: a worse tier, a
 * score at least `score_increase` points above the last notified (or lowest since) score,
 * crossing the inactivity threshold, and milestones reached since. Returns the transitions and
 * the state to remember.
 */
export function transitionsOf(
  watcher: Watcher,
  state: State,
  account: ScoredAccount,
  milestones: readonly Milestone[],
  inactivityDays: number,
  asOf: Date,
): { found: Found[]; next: State } {
  const { risk, features } = account;
  const since = state.evaluated_at.toISOString();
  // Keys are unique per watcher (the outbox's per webhook, the feed's per project), so each
  // names its account: two accounts that go from healthy to watch in the same run are two
  // transitions. (Without the account, the second was dropped as a repeat of the first.) The
  // id's length first keeps the key unambiguous whatever characters the id holds.
  const keyOf = (transition: string) =>
    `${features.accountId.length}:${features.accountId}|${transition}`;
  const wants = (trigger: AlertTrigger) => watcher.triggers.includes(trigger);
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
  if (wants('score_increased') && risk.score - scoreBase >= watcher.score_increase) {
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

async function projectCreatedAt(db: Db, projectId: string): Promise<Date> {
  const project = await db
    .selectFrom('projects')
    .select('created_at')
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow();
  return new Date(project.created_at);
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

export interface DetectOptions {
  /**
   * Also look for the project's webhooks (default true). False: the feed only, for recording
   * what the feed would have shown at past times (the demo's history) without notifying
   * anyone now.
   */
  webhooks?: boolean;
  /**
   * Milestones reached after this time are news on the feed's first look at an account
   * (default: the project's creation). The demo's history sets it to the history's start.
   */
  feedSince?: Date;
  /** Accounts scored and compared per step (default 1,000). */
  slice?: number;
}

type StateRow = State & {
  project_id: string;
  webhook_id: string;
  account_id: string;
  basis: string;
};

/** Whether `next` says anything `stored` does not (the evaluation time alone is not kept). */
const changed = (stored: State, next: State) =>
  stored.tier !== next.tier ||
  stored.score_base !== next.score_base ||
  stored.inactive !== next.inactive ||
  new Date(stored.milestones_after).getTime() !== next.milestones_after.getTime();

/** Accounts scored and compared per step: bounds detection's memory whatever the project's size. */
const DEFAULT_SLICE = 1_000;

interface Watch {
  projectId: string;
  asOf: Date;
  watchers: Watcher[];
  feed: Watcher;
  inactivityDays: number;
  basis: string;
  milestones: Map<string, Milestone[]>;
}

/**
 * Re-scores the project's accounts as of `asOf` and records each transition once in the
 * project's early-warnings feed (`alert_feed`) and once per subscribed webhook in the outbox.
 * The accounts are scored a slice at a time (1,000), with the process's cached project norms,
 * and each slice's comparison and writes are one transaction under a per-project lock: runs
 * that overlap (a schedule and a burst of events, or two server processes) see each other's
 * state and never record a transition twice, and a run stopped half-way leaves whole slices.
 * The first look at an account sets its baseline without notifying, except for milestones
 * reached after the webhook (or, for the feed, the project) was created; so does a look under
 * another scoring basis (changed settings or a newly adopted model move tiers without the
 * account changing).
 *
 * @returns the alerts added to the feed and the deliveries enqueued
 */
export async function detectTransitions(
  db: Db,
  projectId: string,
  asOf = new Date(),
  options: DetectOptions = {},
): Promise<{ alerts: number; enqueued: number }> {
  const [webhooks, feedSince, settings, basis, accounts] = await Promise.all([
    options.webhooks === false
      ? []
      : db
          .selectFrom('webhooks')
          .select(['id', 'triggers', 'score_increase', 'created_at'])
          .where('project_id', '=', projectId)
          .where('deleted_at', 'is', null)
          .execute(),
    options.feedSince ?? projectCreatedAt(db, projectId),
    getProjectSettings(db, projectId),
    scoringBasis(db, projectId, asOf),
    db
      .selectFrom('accounts')
      .select('account_id')
      .where('project_id', '=', projectId)
      .where('first_seen', '<=', asOf)
      .orderBy('account_id')
      .execute(),
  ]);
  const feed = feedWatcher(feedSince);
  const watchers: Watcher[] = [feed, ...webhooks];
  const oldestState = await db
    .selectFrom('alert_states')
    .select((eb) => eb.fn.min('milestones_after').as('oldest'))
    .where('project_id', '=', projectId)
    .where(
      'webhook_id',
      'in',
      watchers.map((watcher) => watcher.id),
    )
    .executeTakeFirst();
  let earliest = asOf.getTime();
  for (const watcher of watchers)
    earliest = Math.min(earliest, new Date(watcher.created_at).getTime());
  if (oldestState?.oldest) earliest = Math.min(earliest, new Date(oldestState.oldest).getTime());
  const watch: Watch = {
    projectId,
    asOf,
    watchers,
    feed,
    inactivityDays: settings.inactivityDays,
    basis,
    milestones: await milestonesSince(db, projectId, new Date(earliest), asOf),
  };

  const ids = accounts.map((account) => account.account_id);
  const slice = options.slice ?? DEFAULT_SLICE;
  const totals = { alerts: 0, enqueued: 0 };
  for (let start = 0; start < ids.length; start += slice) {
    const { scored } = await scoreProject(db, projectId, {
      asOf,
      accountIds: ids.slice(start, start + slice),
    });
    const recorded = await recordTransitions(db, watch, scored);
    totals.alerts += recorded.alerts;
    totals.enqueued += recorded.enqueued;
  }
  return totals;
}

/** Compares one slice of scored accounts with what each watcher last saw, and records what changed. */
async function recordTransitions(
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
        if (!stored || state === baseline || changed(stored, next)) {
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

/**
 * Fills the feed with what daily detection would have found over the `days` before `end`,
 * webhooks left out (nothing is notified now of the past): the demo project's data is
 * generated in one go, and its early warnings should read as if Tenure had been watching.
 */
export async function recordFeedHistory(
  db: Db,
  projectId: string,
  options: { days: number; end: Date },
): Promise<number> {
  const start = new Date(options.end.getTime() - options.days * DAY_MS);
  let alerts = 0;
  for (let day = 0; day <= options.days; day += 1) {
    const asOf = new Date(start.getTime() + day * DAY_MS);
    const found = await detectTransitions(db, projectId, asOf, {
      webhooks: false,
      feedSince: start,
    });
    alerts += found.alerts;
  }
  return alerts;
}
