import { describe, expect, it } from 'vitest';
import { isCalendarDay, isCanonicalInstant, isIsoCalendarTimestamp } from './calendar-time.js';

describe('calendar time checks', () => {
  it('refuse days the calendar does not have, which Date.parse would roll over', () => {
    expect(Number.isNaN(Date.parse('2026-02-30'))).toBe(false); // the trap
    expect(isIsoCalendarTimestamp('2026-02-30')).toBe(false);
    expect(isIsoCalendarTimestamp('2026-04-31T10:00:00Z')).toBe(false);
    expect(isIsoCalendarTimestamp('2023-02-29')).toBe(false);
    expect(isIsoCalendarTimestamp('2024-02-29')).toBe(true);
    expect(isIsoCalendarTimestamp('2026-06-01T23:00:00-05:00')).toBe(true);
    expect(isCalendarDay('0001-01-01')).toBe(true);
  });

  it('accept as a cursor instant only what toISOString writes', () => {
    expect(isCanonicalInstant(new Date('2026-10-01T10:00:00Z').toISOString())).toBe(true);
    for (const forged of [
      '99999',
      '+275760-09-13T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
      'Jan 1 2026',
      '2026-10-01',
      '2026-02-30T00:00:00.000Z',
    ]) {
      expect(isCanonicalInstant(forged), forged).toBe(false);
    }
  });
});
