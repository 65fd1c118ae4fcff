import { afterEach, describe, expect, it } from 'vitest';
import { churnQuerySchema, churnReasonsQuerySchema } from './churn.schemas.js';

describe('churn query parameters', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = zone;
  });

  it('reads a timestamp without a zone as UTC, whatever the server zone', () => {
    process.env.TZ = 'America/New_York';
    // Date.parse('2026-10-01T00:00') would be 04:00 UTC here and move October's start.
    expect(churnQuerySchema.parse({ from: '2026-10-01T00:00', to: '2026-10-31 12:00' })).toEqual(
      expect.objectContaining({
        from: Date.parse('2026-10-01T00:00:00Z'),
        to: Date.parse('2026-10-31T12:00:00Z'),
      }),
    );
    expect(churnQuerySchema.parse({ from: '2026-10-01T00:00-04:00' }).from).toBe(
      Date.parse('2026-10-01T04:00:00Z'),
    );
    expect(churnQuerySchema.parse({ asOf: '2026-11-15T00:00' }).asOf?.toISOString()).toBe(
      '2026-11-15T00:00:00.000Z',
    );
  });

  it('refuses days that do not exist instead of rolling them into the next month', () => {
    for (const from of ['2026-02-29', '2026-02-30', '2026-04-31T10:00Z', '2026-13-01']) {
      expect(churnQuerySchema.safeParse({ from }).success, from).toBe(false);
    }
    expect(churnQuerySchema.safeParse({ asOf: '2026-02-30' }).success).toBe(false);
    expect(churnQuerySchema.parse({ from: '2028-02-29' }).from).toBe(Date.parse('2028-02-29'));
  });

  it('takes a churn-reasons `to` without a time as the whole day', () => {
    expect(churnReasonsQuerySchema.parse({ to: '2026-10-31' }).to).toBe(
      Date.parse('2026-11-01T00:00:00Z'),
    );
    expect(churnReasonsQuerySchema.parse({ to: '2026-10-31T12:00Z' }).to).toBe(
      Date.parse('2026-10-31T12:00:00Z'),
    );
  });
});
