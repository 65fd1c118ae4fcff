import { describe, expect, it } from 'vitest';
import { addDays } from '../time/utc-day.js';
import { bucketStart, bucketStarts, nextBucket, timelineRange } from './time-buckets.js';
import { cadenceAt, usageCadence } from './usage-cadence.js';

/** Days from `start` for `count` days on which `pick(dayIndex, weekday)` is true. */
function days(start: string, count: number, pick: (index: number, weekday: number) => boolean) {
  const picked: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const day = addDays(start, index);
    if (pick(index, new Date(`${day}T00:00:00Z`).getUTCDay())) picked.push(day);
  }
  return picked;
}

const MONDAY = '2026-06-01'; // a Monday

describe('time buckets', () => {
  it('starts weeks on Monday and months on the 1st, in UTC', () => {
    expect(bucketStart('2026-11-22', 'week')).toBe('2026-11-16'); // Sunday → its Monday
    expect(bucketStart('2026-11-16', 'week')).toBe('2026-11-16');
    expect(bucketStart('2026-11-22', 'month')).toBe('2026-11-01');
    expect(bucketStart('2026-11-22', 'day')).toBe('2026-11-22');
    expect(nextBucket('2026-12-01', 'month')).toBe('2027-01-01');
    expect(nextBucket('2026-01-31', 'day')).toBe('2026-02-01');
    expect(bucketStarts('2026-11-10', '2026-11-22', 'week')).toEqual(['2026-11-09', '2026-11-16']);
    expect(bucketStarts('2026-01-15', '2026-03-01', 'month')).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
  });

  it('defaults to twelve weeks up to the day of asOf, and refuses bad ranges', () => {
    const asOf = new Date('2026-11-22T10:00:00Z');
    // The week of Nov 16 and the eleven before it: Nov 16 − 77 days = Aug 31.
    expect(timelineRange({ interval: 'week' }, asOf)).toEqual({
      from: '2026-08-31',
      to: '2026-11-22',
    });
    expect(timelineRange({ interval: 'day', to: '2027-01-01' }, asOf)).toMatchObject({
      to: '2026-11-22',
    });
    expect(timelineRange({ interval: 'day', from: '2026-11-23' }, asOf)).toHaveProperty('error');
    expect(timelineRange({ interval: 'day', from: '2025-01-01' }, asOf)).toHaveProperty('error');
    expect(timelineRange({ interval: 'month', from: '2025-01-01' }, asOf)).toEqual({
      from: '2025-01-01',
      to: '2026-11-22',
    });
  });
});

describe('usage cadence', () => {
  it('reads every working day as daily, one day a week as weekly, fortnightly as monthly', () => {
    const end = addDays(MONDAY, 55);
    const workdays = days(MONDAY, 56, (_i, weekday) => weekday >= 1 && weekday <= 5);
    expect(usageCadence(workdays, MONDAY, end, 21)).toEqual({
      current: 'daily',
      since: MONDAY,
      shifts: [{ on: MONDAY, from: null, to: 'daily' }],
    });
    const mondays = days(MONDAY, 56, (_i, weekday) => weekday === 1);
    expect(usageCadence(mondays, MONDAY, end, 21).current).toBe('weekly');
    const fortnightly = days(MONDAY, 56, (index) => index % 14 === 0);
    expect(usageCadence(fortnightly, MONDAY, end, 21).current).toBe('monthly');
  });

  it('follows the decay daily → weekly → monthly → dormant, dating each settled shift', () => {
    // 8 weeks of working days, then 6 Mondays, then silence.
    const daily = days(MONDAY, 56, (_i, weekday) => weekday >= 1 && weekday <= 5);
    const weekly = days(addDays(MONDAY, 56), 42, (_i, weekday) => weekday === 1);
    const last = weekly[weekly.length - 1]!;
    const end = addDays(last, 40);
    const cadence = usageCadence([...daily, ...weekly], MONDAY, end, 21);

    expect(cadence.shifts.map((shift) => shift.to)).toEqual([
      'daily',
      'weekly',
      'monthly',
      'dormant',
    ]);
    const [, toWeekly, toMonthly, toDormant] = cadence.shifts;
    expect(toWeekly!.on > addDays(MONDAY, 56) && toWeekly!.on < last).toBe(true);
    // 14 days after the last visit only two of the last four weeks had activity.
    expect(toMonthly).toEqual({ on: addDays(last, 14), from: 'weekly', to: 'monthly' });
    // The 21-day threshold passes on the 21st day without activity.
    expect(toDormant).toEqual({ on: addDays(last, 21), from: 'monthly', to: 'dormant' });
    expect(cadence).toMatchObject({ current: 'dormant', since: addDays(last, 21) });
  });

  it('ignores a change that does not hold seven days', () => {
    // Monday, Wednesday and Friday for 10 weeks: 12 of every 28 days, just daily. Skipping the
    // Wednesday at index 37 and coming on the Saturday at index 40 instead leaves only 11 in
    // the windows ending on days 37–39: weekly for three days, then daily again.
    const active = Array.from({ length: 70 }, (_, index) => {
      if (index === 37) return false;
      if (index === 40) return true;
      return [0, 2, 4].includes(index % 7);
    });
    const raw = active.map((_, index) => cadenceAt(active, index, 21, 0));
    expect(raw.slice(36, 42)).toEqual(['daily', 'weekly', 'weekly', 'weekly', 'daily', 'daily']);

    const activeDays = active.flatMap((on, index) => (on ? [addDays(MONDAY, index)] : []));
    const cadence = usageCadence(activeDays, MONDAY, addDays(MONDAY, 69), 21);
    expect(cadence.shifts).toEqual([{ on: MONDAY, from: null, to: 'daily' }]);
  });

  it('has no cadence without activity, and respects a configured threshold', () => {
    expect(usageCadence([], MONDAY, addDays(MONDAY, 30), 21)).toEqual({
      current: null,
      since: null,
      shifts: [],
    });
    const once = [MONDAY];
    expect(usageCadence(once, MONDAY, addDays(MONDAY, 10), 7).current).toBe('dormant');
    expect(usageCadence(once, MONDAY, addDays(MONDAY, 10), 21).current).toBe('monthly');
  });
});
