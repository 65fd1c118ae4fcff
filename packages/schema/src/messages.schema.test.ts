import { describe, expect, it } from 'vitest';
import { instantOf, isCanonicalInstant, isIsoTimestamp } from './messages.schema.js';

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
});
