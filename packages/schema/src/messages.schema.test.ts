import { describe, expect, it } from 'vitest';
import {
  instantOf,
  isCanonicalInstant,
  isIsoTimestamp,
  matchesIsoTimestamp,
} from './messages.schema.js';

describe('timestamps', () => {
  it('refuse days the calendar does not have, which Date.parse would roll over', () => {
    expect(Number.isNaN(Date.parse('2026-02-30'))).toBe(false); // the trap
    expect(isIsoTimestamp('2026-02-30')).toBe(false);
    expect(isIsoTimestamp('2026-04-31T10:00:00Z')).toBe(false);
    expect(isIsoTimestamp('2023-02-29')).toBe(false);
    expect(isIsoTimestamp('2024-02-29')).toBe(true);
    expect(isIsoTimestamp('2026-06-01T23:00:00-05:00')).toBe(true);
    expect(isIsoTimestamp('0001-01-01')).toBe(true);
  });

  it('read a timestamp without a zone as UTC, whatever the process zone', () => {
    expect(instantOf('2026-06-01T10:00:00')).toBe(Date.parse('2026-06-01T10:00:00Z'));
    expect(instantOf('2026-06-01 10:00')).toBe(Date.parse('2026-06-01T10:00:00Z'));
    expect(instantOf('2026-06-01')).toBe(Date.parse('2026-06-01T00:00:00Z'));
    expect(instantOf('2026-06-01T10:00:00+02:00')).toBe(Date.parse('2026-06-01T08:00:00Z'));
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

  it('read the toISOString form digit by digit exactly as the general path does', () => {
    // Every field at and past its edges: 11 years × 14 months × 33 days × 3 × 2 × 2 × 2 times.
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const disagreements: string[] = [];
    let checked = 0;
    for (const year of [1, 99, 100, 999, 1000, 1900, 1970, 2000, 2024, 2100, 9999])
      for (let month = 0; month <= 13; month += 1)
        for (let day = 0; day <= 32; day += 1)
          for (const hour of [0, 23, 24])
            for (const minute of [0, 60])
              for (const second of [59, 60])
                for (const ms of [0, 999]) {
                  const time = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}`;
                  const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}Z`;
                  const valid = matchesIsoTimestamp(value);
                  if (isIsoTimestamp(value) !== valid) disagreements.push(`valid: ${value}`);
                  if (valid && instantOf(value) !== Date.parse(value)) disagreements.push(value);
                  checked += 1;
                }
    expect(disagreements).toEqual([]);
    expect(checked).toBe(11 * 14 * 33 * 3 * 2 * 2 * 2);
    for (const odd of ['2026-06-01T10:00:00.000z', '2026-06-0aT10:00:00.000Z', '2026-06-01']) {
      expect(isIsoTimestamp(odd), odd).toBe(matchesIsoTimestamp(odd));
    }
  });
});
