import { DAY_MS } from '../../time/utc-day.js';

const YEAR_DAYS = 365.25;

/**
 * How far apart two instants are in the year, in days (0–183): 1 March and 3 March of any two
 * years are 2 days apart.
 */
export function daysApartInYear(a: number, b: number): number {
  const apart = ((((a - b) / DAY_MS) % YEAR_DAYS) + YEAR_DAYS) % YEAR_DAYS;
  return Math.min(apart, YEAR_DAYS - apart);
}

/** Width of the season (days) and the weight a snapshot keeps outside it. */
export const SEASON = { widthDays: 21, floor: 0.05 };

/**
 * Snapshot weights that favour the same season in earlier years: `floor + (1 − floor) ×
 * exp(−(d / width)²)`, with d the days between the snapshot's and `asOf`'s place in the year.
 * Churn has seasons: annual contracts renew, budgets reset and terms end at the same time each
 * year, so the weeks around today a year ago say most about the weeks after today. With less
 * than a year of labelled history there is no earlier season to favour, and every snapshot
 * weighs the same (null).
 *
 * @example
 * const weigh = seasonWeights(snapshots, asOf.getTime());
 * weigh?.(snapshot); // 1 for a year ago to the day, 0.05 half a year away
 */
export function seasonWeights(
  snapshots: number[],
  asOf: number,
): ((snapshot: number) => number) | null {
  const earliest = snapshots.reduce((min, time) => Math.min(min, time), Number.POSITIVE_INFINITY);
  const aYearAgo = asOf - YEAR_DAYS * DAY_MS;
  if (!(earliest <= aYearAgo + SEASON.widthDays * DAY_MS)) return null;
  return (snapshot) =>
    SEASON.floor +
    (1 - SEASON.floor) * Math.exp(-((daysApartInYear(snapshot, asOf) / SEASON.widthDays) ** 2));
}
