import { SUBSCRIPTION_EVENTS, TICKET_EVENTS } from '../ingest/rollups.sql.js';
import type { CommittedEvent } from '../ingest/write-lane.js';
import type { TodayActivity } from './account-features.types.js';

/**
 * What an account's new events may change in its kept score (`account_scores`), decided from
 * the events alone:
 * - `rescore`: what the features of complete days read (events of another day: late data),
 *   identities (identify and alias calls may attribute a user's earlier events anew) or a new
 *   account, so the account is scored again in full;
 * - a `TodayDelta`: events of the scoring day. The score counts complete days only, so these
 *   can change only what moves within a day (`CurrentSignals`): the account's terms and
 *   tickets (`current`: group calls, ticket and subscription events), and its activity of the
 *   day, which the score ignores but the factor messages read ("logged in today", "3
 *   knowledge-base article views today"). Activity alone often changes nothing at all: a
 *   second login of the day.
 * The keeper refreshes a row for a `TodayDelta` from the features it was scored from, and
 * only when the delta is `current` or `leavesKeptScore` says the row's today no longer holds,
 * so steady traffic of accounts already active today costs it a look in memory or a key probe
 * (kept-today-memo.ts), not a scoring.
 */
export type Need = 'rescore' | TodayDelta;

export interface TodayDelta {
  day: string;
  /** Terms or tickets changed: group calls, ticket and subscription events. */
  current: boolean;
  login: boolean;
  /** An article view: the messages quote their number, so any view changes them. */
  kbView: boolean;
  milestone: boolean;
  /** Features used, key or not (which are key is known where the delta is weighed). */
  features: ReadonlySet<string>;
}

/** Feature deltas kept per day at most: feature names come from clients. */
const FEATURES_KEPT = 1_000;

/**
 * The needs of committed events, for accounts kept scored as of `day` ('YYYY-MM-DD'). Of the
 * calls of that day, page and screen views and every track event but tickets and subscription
 * events feed only the day's counters (`account_daily`, `user_daily`, `feature_daily`:
 * ingest/rollups.sql.ts); `group` changes traits, ticket and subscription events the account's
 * tickets and terms. `of` runs on the writer's acknowledgement path for every event, and a
 * day's events are mostly a few kinds: each kind's need is built once (frozen, and never
 * changed: `mergeNeeds` makes new ones).
 */
export class DayNeeds {
  private readonly prefix: string;
  private readonly kinds = new Map<string, TodayDelta>();
  private readonly features = new Map<string, TodayDelta>();

  constructor(readonly day: string) {
    // Stored timestamps are in `toISOString` form (ingest/event-record.ts): the day is a prefix.
    this.prefix = `${day}T`;
  }

  of(event: CommittedEvent): Need {
    if (!event.timestamp.startsWith(this.prefix)) return 'rescore';
    if (event.type === 'identify' || event.type === 'alias') return 'rescore';
    const name = event.type === 'track' ? (event.event ?? '') : null;
    if (name === 'feature_used' && event.feature !== null) return this.featureUsed(event.feature);
    const current =
      event.type === 'group' ||
      (name !== null && (TICKET_EVENTS.has(name) || SUBSCRIPTION_EVENTS.has(name)));
    let kind = 'counted';
    if (current) kind = 'current';
    else if (name !== null && QUOTED.has(name)) kind = name;
    let need = this.kinds.get(kind);
    if (!need) {
      need = this.delta({
        current,
        login: kind === 'login',
        kbView: kind === 'kb_article_viewed',
        milestone: kind === 'milestone_reached',
      });
      this.kinds.set(kind, need);
    }
    return need;
  }

  private featureUsed(feature: string): TodayDelta {
    const kept = this.features.get(feature);
    if (kept) return kept;
    const need = this.delta({ features: new Set([feature]) });
    if (this.features.size < FEATURES_KEPT) this.features.set(feature, need);
    return need;
  }

  private delta(fields: Partial<TodayDelta>): TodayDelta {
    return Object.freeze({
      day: this.day,
      current: false,
      login: false,
      kbView: false,
      milestone: false,
      features: new Set<string>(),
      ...fields,
    });
  }
}

/** The track events whose count of the day the factor messages read. */
const QUOTED = new Set(['login', 'kb_article_viewed', 'milestone_reached']);

/** Both needs of an account at once (the queue keeps one per account). */
export function mergeNeeds(a: Need, b: Need): Need {
  if (a === 'rescore' || b === 'rescore' || a.day !== b.day) return 'rescore';
  return {
    day: a.day,
    current: a.current || b.current,
    login: a.login || b.login,
    kbView: a.kbView || b.kbView,
    milestone: a.milestone || b.milestone,
    features: new Set([...a.features, ...b.features]),
  };
}

/** What the keeper reads of a kept row to weigh a `TodayDelta` against it. */
export interface KeptToday {
  /** The UTC day the row was scored on. */
  scoredDay: string;
  /** The day's activity the row's messages were written with (null: not recorded). */
  today: TodayActivity | null;
}

/**
 * Whether the events leave the kept row exactly as a scoring now would write it: the row is of
 * the events' day, and what its messages read of the day already covers them (a login, a
 * milestone, a key feature used) or cannot show them (a feature that is not key). Without a
 * kept row, or one of another day, the account is scored; so is a feature when the project's
 * key features of the day are not known (`keyFeatures` null).
 */
export function leavesKeptScore(
  delta: TodayDelta,
  kept: KeptToday | undefined,
  keyFeatures: readonly string[] | null,
): boolean {
  if (delta.current || !kept?.today || kept.scoredDay !== delta.day) return false;
  const { today } = kept;
  if (delta.kbView) return false;
  if (delta.login && today.logins === 0) return false;
  if (delta.milestone && today.milestones === 0) return false;
  for (const feature of delta.features) {
    if (today.keyFeaturesUsed.includes(feature)) continue;
    if (keyFeatures === null || keyFeatures.includes(feature)) return false;
  }
  return true;
}

/** What the keeper does with a batch of queued accounts (the rest it leaves as they are). */
export interface KeepingPlan {
  /** Scored in full. */
  rescore: string[];
  /**
   * Changed only in what moves within the day of their kept row: scored from its features with
   * the current signals read anew (rows found not to be of the day are scored in full then).
   */
  refresh: string[];
  /** Of `refresh`, those whose terms or tickets moved too (`TodayDelta.current`). */
  current: Set<string>;
}

/**
 * The plan for `needs`: every `rescore` in full, every `current` delta refreshed, and each
 * other `TodayDelta` weighed against its kept row (read by `readKept`, only when there are
 * such deltas): left as it is, refreshed when the row is of the delta's day, else scored in
 * full.
 */
export async function planKeeping(
  needs: Map<string, Need>,
  readKept: (accountIds: string[]) => Promise<Map<string, KeptToday>>,
  keyFeatures: readonly string[] | null,
): Promise<KeepingPlan> {
  const plan: KeepingPlan = { rescore: [], refresh: [], current: new Set() };
  const deltas: Array<[string, TodayDelta]> = [];
  for (const [id, need] of needs) {
    if (need === 'rescore') plan.rescore.push(id);
    else if (need.current) {
      plan.refresh.push(id);
      plan.current.add(id);
    } else deltas.push([id, need]);
  }
  if (deltas.length === 0) return plan;
  const kept = await readKept(deltas.map(([id]) => id));
  for (const [id, delta] of deltas) {
    const row = kept.get(id);
    if (leavesKeptScore(delta, row, keyFeatures)) continue;
    if (row?.today && row.scoredDay === delta.day) plan.refresh.push(id);
    else plan.rescore.push(id);
  }
  return plan;
}
