import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../time/utc-day.js';
import { daysApartInYear, SEASON, seasonWeights } from './season-weights.js';

const DAY = DAY_MS;
const asOf = Date.parse('2026-04-01T00:00:00Z');

describe('seasonWeights', () => {
  it('measures distance within the year, across the new year', () => {
    expect(daysApartInYear(Date.parse('2025-12-30'), Date.parse('2026-01-02'))).toBeCloseTo(3, 0);
    expect(daysApartInYear(Date.parse('2025-04-03'), asOf)).toBeCloseTo(2, 0);
  });

  it('weighs the same weeks of an earlier year most, and keeps a floor elsewhere', () => {
    const snapshots = [asOf - 420 * DAY, asOf - 365 * DAY, asOf - 200 * DAY];
    const weigh = seasonWeights(snapshots, asOf)!;
    expect(weigh(asOf - 365 * DAY)).toBeGreaterThan(0.99);
    expect(weigh(asOf - 200 * DAY)).toBeCloseTo(SEASON.floor, 2);
    expect(weigh(asOf - 380 * DAY)).toBeGreaterThan(weigh(asOf - 400 * DAY));
  });

  it('weighs every snapshot the same with less than a year of history', () => {
    expect(seasonWeights([asOf - 300 * DAY, asOf - 100 * DAY], asOf)).toBeNull();
  });
});
