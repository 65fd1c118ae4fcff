import { addDays, daysBetween } from '../time/utc-day.js';

export type Cadence = 'daily' | 'weekly' | 'monthly' | 'dormant';

export interface CadenceShift {
  /** The first day of the new cadence. */
  on: string;
  from: Cadence | null;
  to: Cadence;
}

export interface UsageCadence {
  /** The cadence on the last day; null when there has been no activity at all. */
  current: Cadence | null;
  /** When the current cadence began (or the first active day). */
  since: string | null;
  /** Every settled change, oldest first. */
  shifts: CadenceShift[];
}

/** Active on at least this many of the last 28 days: about three days a week or more. */
export const DAILY_MIN_DAYS = 12;
/** Active in at least this many of the last four 7-day blocks. */
export const WEEKLY_MIN_WEEKS = 3;
/** A change other than going dormant counts once it has held this many days, so one quiet
 * week does not turn a weekly account into a monthly one and back. */
export const SETTLE_DAYS = 7;

/**
 * The usage cadence on day `index` of `active` (one flag per day, oldest first):
 * - dormant: no activity in the last `inactivityDays` days (the project's inactivity threshold);
 * - daily: active on at least 12 of the last 28 days;
 * - weekly: active in at least 3 of the last four 7-day blocks;
 * - monthly: anything else (still active within the threshold).
 * Null before the first active day.
 */
export function cadenceAt(
  active: readonly boolean[],
  index: number,
  inactivityDays: number,
  firstActive: number,
): Cadence | null {
  if (firstActive < 0 || index < firstActive) return null;
  let lastActive = -1;
  for (let i = index; i >= 0 && i > index - inactivityDays; i -= 1) {
    if (active[i]) {
      lastActive = i;
      break;
    }
  }
  if (lastActive < 0) return 'dormant';
  let days = 0;
  let weeks = 0;
  for (let block = 0; block < 4; block += 1) {
    let inBlock = false;
    for (let i = index - block * 7; i > index - (block + 1) * 7 && i >= 0; i -= 1) {
      if (active[i]) {
        days += 1;
        inBlock = true;
      }
    }
    if (inBlock) weeks += 1;
  }
  if (days >= DAILY_MIN_DAYS) return 'daily';
  if (weeks >= WEEKLY_MIN_WEEKS) return 'weekly';
  return 'monthly';
}

/**
 * Usage cadence over the days `start`..`end` from the days with activity, with the shifts
 * between cadences. Going dormant counts at once (the threshold already waited); any other
 * change counts once it has held SETTLE_DAYS days, dated from its first day. `start` should lie
 * at least 28 days before the first day of interest, so the rules have history to look at.
 *
 * @example
 * usageCadence(['2026-11-02', '2026-11-09'], '2026-10-01', '2026-11-10', 21).current; // 'monthly'
 */
export function usageCadence(
  activeDays: readonly string[],
  start: string,
  end: string,
  inactivityDays: number,
): UsageCadence {
  const length = daysBetween(start, end) + 1;
  if (length <= 0) return { current: null, since: null, shifts: [] };
  const active = new Array<boolean>(length).fill(false);
  for (const day of activeDays) {
    const index = daysBetween(start, day);
    if (index >= 0 && index < length) active[index] = true;
  }
  const firstActive = active.indexOf(true);
  if (firstActive < 0) return { current: null, since: null, shifts: [] };

  // The rules look back 28 days: the first cadence is read once 28 days of history exist (or
  // on the last day, if sooner) and dated from the first active day.
  const warmedUp = Math.min(firstActive + 27, length - 1);
  let settled = cadenceAt(active, warmedUp, inactivityDays, firstActive) as Cadence;
  const shifts: CadenceShift[] = [{ on: addDays(start, firstActive), from: null, to: settled }];
  let candidate: Cadence | null = null;
  let candidateFrom = warmedUp;
  for (let index = warmedUp + 1; index < length; index += 1) {
    const cadence = cadenceAt(active, index, inactivityDays, firstActive) as Cadence;
    if (cadence === settled) {
      candidate = null;
      continue;
    }
    if (cadence !== candidate) {
      candidate = cadence;
      candidateFrom = index;
    }
    const held = index - candidateFrom + 1;
    if (cadence === 'dormant' || held >= SETTLE_DAYS) {
      shifts.push({ on: addDays(start, candidateFrom), from: settled, to: cadence });
      settled = cadence;
      candidate = null;
    }
  }
  return { current: settled, since: shifts[shifts.length - 1]!.on, shifts };
}
