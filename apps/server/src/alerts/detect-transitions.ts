import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import { scoreProject } from '../risk/score-accounts.js';
import { scoringBasis } from '../risk/scoring-basis.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { DAY_MS } from '../time/utc-day.js';
import { recordTransitions, type Watch } from './record-transitions.js';
import { feedWatcher, type Milestone, type Watcher } from './transitions.js';

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

/** Accounts scored and compared per step: bounds detection's memory whatever the project's size. */
const DEFAULT_SLICE = 1_000;

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
