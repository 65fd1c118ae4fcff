/**
 * The rules of early-warning transitions: who watches (each webhook, and the project's feed),
 * what a watcher remembers of an account, and what counts as news since its last look.
 */
import { createHash } from 'node:crypto';
import type { AlertTrigger } from '../db/tables/alerts.table.js';
import type { RiskTier } from '../risk/risk.types.js';
import { tierRank } from '../risk/risk-tier.js';
import type { ScoredAccount } from '../risk/score-accounts.js';
import { addDays, utcDay } from '../time/utc-day.js';
import { ALERT_TRIGGERS, DEFAULT_SCORE_INCREASE, type Transition } from './alert-payload.js';

/** Who detection looks for transitions for: each live webhook, and the project's own feed. */
export interface Watcher {
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

export const feedWatcher = (since: Date): Watcher => ({
  id: FEED_WATCHER,
  triggers: ALERT_TRIGGERS,
  score_increase: DEFAULT_SCORE_INCREASE,
  created_at: since,
});

export interface State {
  tier: string;
  score_base: number;
  inactive: boolean;
  milestones_after: Date;
  evaluated_at: Date;
}

export interface Milestone {
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
export const transitionId = (prefix: string, projectId: string, watcherId: string, key: string) =>
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

/** Whether `next` says anything `stored` does not (the evaluation time alone is not kept). */
export const stateChanged = (stored: State, next: State) =>
  stored.tier !== next.tier ||
  stored.score_base !== next.score_base ||
  stored.inactive !== next.inactive ||
  new Date(stored.milestones_after).getTime() !== next.milestones_after.getTime();
