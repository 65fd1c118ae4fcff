import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.types.js';
import { churnedWithin } from './churn-times.sql.js';
import type { LabelledModelRow } from './learn-additive-model.js';
import { type ActivityDay, type LifetimeTotals, modelInputs, WINDOWS } from './model-inputs.js';
import {
  accountsAtSnapshot,
  activityDays,
  epochDay,
  type SnapshotAccount,
} from './model-inputs.sql.js';

export interface SnapshotRowsOptions {
  times: Date[];
  horizonDays: number;
  /** Churn times by account (labels only, never features). */
  churn: Map<string, number[]>;
  /** The features with a bit of their own (see featureBitsOf). */
  features: string[];
  /** At most this many retained rows are kept, each standing for the rows it samples. */
  maxRetainedRows: number;
  /** Only rows of snapshots before this time (ms) are sampled: held-out rows are all kept. */
  sampleBefore: number;
  onProgress?: ((step: string, done: number, total: number) => void) | undefined;
}

// Accounts whose whole daily history is read in one statement: bounds memory on big projects.
const ACCOUNTS_PER_READ = 500;

/** A stable pseudo-random number in [0, 1) for a row, so that sampling is repeatable. */
function uniform(accountId: string, snapshot: number): number {
  const digest = createHash('sha1').update(`${accountId}|${snapshot}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The index of the first day of a sorted series on or after `day`. */
function firstOnOrAfter(days: ActivityDay[], day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (days[mid]!.day < day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * What the first k days of a series hold, for every k: the lifetime totals and the last login
 * day (entry k covers days[0..k)), and the series' first milestone day.
 */
function runningHistory(days: ActivityDay[]) {
  const totals: LifetimeTotals[] = [{ logins: 0, activeDays: 0, featureUses: 0 }];
  const lastLogin: (number | null)[] = [null];
  for (const day of days) {
    const last = totals[totals.length - 1]!;
    totals.push({
      logins: last.logins + day.logins,
      activeDays: last.activeDays + (day.events > 0 ? 1 : 0),
      featureUses: last.featureUses + day.featureUses,
    });
    lastLogin.push(day.logins > 0 ? day.day : lastLogin[lastLogin.length - 1]!);
  }
  const firstMilestone = days.find((day) => day.milestones > 0)?.day ?? null;
  return { totals, lastLogin, firstMilestone };
}

/**
 * Point-in-time training rows: for each snapshot time, every account that existed and had not
 * churned, with its model inputs from data before that time, labelled by churn within the
 * horizon after it. Retained rows beyond `maxRetainedRows` are sampled (repeatably) and
 * weighted by the inverse of the sampling rate; churned rows are all kept.
 */
export async function snapshotRows(
  db: Db,
  projectId: string,
  options: SnapshotRowsOptions,
): Promise<LabelledModelRow[]> {
  const states: { time: Date; states: SnapshotAccount[] }[] = [];
  for (const [k, time] of options.times.entries()) {
    const all = await accountsAtSnapshot(db, projectId, time);
    states.push({ time, states: all.filter((state) => state.churnedAt === null) });
    options.onProgress?.('snapshots', k + 1, options.times.length);
  }
  const label = (accountId: string, time: Date) =>
    churnedWithin(options.churn.get(accountId), time, options.horizonDays) ? 1 : 0;
  const sampled = (time: Date) => time.getTime() < options.sampleBefore;
  const retained = states.reduce(
    (sum, { time, states: list }) =>
      sampled(time) ? sum + list.filter((state) => label(state.accountId, time) === 0).length : sum,
    0,
  );
  const rate = Math.min(1, options.maxRetainedRows / Math.max(1, retained));
  const kept = (accountId: string, time: Date) =>
    !sampled(time) || label(accountId, time) === 1 || uniform(accountId, time.getTime()) < rate;

  const byAccount = new Map<string, { time: Date; state: SnapshotAccount }[]>();
  for (const { time, states: list } of states) {
    for (const state of list) {
      if (!kept(state.accountId, time)) continue;
      const entries = byAccount.get(state.accountId) ?? [];
      entries.push({ time, state });
      byAccount.set(state.accountId, entries);
    }
  }
  const accountIds = [...byAccount.keys()].sort();
  // The whole history before the last snapshot: lifetime totals read all of it.
  const firstDay = 0;
  const lastDay = Math.max(...options.times.map(epochDay));
  const rows: LabelledModelRow[] = [];
  for (let start = 0; start < accountIds.length; start += ACCOUNTS_PER_READ) {
    const chunk = accountIds.slice(start, start + ACCOUNTS_PER_READ);
    const activity = await activityDays(db, projectId, {
      fromDay: firstDay,
      toDay: lastDay,
      accountIds: chunk,
      features: options.features,
    });
    for (const accountId of chunk) {
      const days = activity.get(accountId) ?? [];
      const history = runningHistory(days);
      for (const { time, state } of byAccount.get(accountId)!) {
        const asOfDay = epochDay(time);
        const end = firstOnOrAfter(days, asOfDay);
        const known = {
          ...state,
          lastLoginDay: history.lastLogin[end]!,
          lastSeenDay: end > 0 ? days[end - 1]!.day : null,
          firstMilestoneDay:
            history.firstMilestone !== null && history.firstMilestone < asOfDay
              ? history.firstMilestone
              : null,
        };
        const window = days.slice(
          firstOnOrAfter(days, asOfDay - WINDOWS[WINDOWS.length - 1]!),
          end,
        );
        const churned = label(accountId, time);
        rows.push({
          accountId,
          snapshot: time.getTime(),
          inputs: modelInputs(known, window, history.totals[end]!, asOfDay),
          tenureDays: Math.max(0, asOfDay - state.startDay),
          plan: state.plan,
          label: churned,
          weight: churned === 1 || !sampled(time) ? 1 : 1 / rate,
        });
      }
    }
    options.onProgress?.(
      'activity',
      Math.min(start + chunk.length, accountIds.length),
      accountIds.length,
    );
  }
  return rows;
}
