import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { DAY_MS } from '../time/utc-day.js';

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
const T1 = daysAgo(40);
const T2 = daysAgo(30);
const T3 = daysAgo(20);
const T4 = daysAgo(10);

describe.each(engines)("a user's account as of a time, on %s", (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    // bo works in alpha, then moves to beta at T3; the later call arrives first.
    await t.ingest([
      {
        type: 'group',
        messageId: 'bo-beta',
        userId: 'bo',
        groupId: 'beta',
        timestamp: T3.toISOString(),
      },
      {
        type: 'group',
        messageId: 'bo-alpha',
        userId: 'bo',
        groupId: 'alpha',
        timestamp: T1.toISOString(),
      },
    ]);
  });
  afterAll(() => t.close());

  it('is the account of the time, not the one of a later group call', async () => {
    const before = (await t.get(`/v1/users/bo?asOf=${T2.toISOString()}`)).json();
    expect(before.accountId).toBe('alpha');
    expect(before.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['alpha']);
    const after = (await t.get(`/v1/users/bo?asOf=${T4.toISOString()}`)).json();
    expect(after.accountId).toBe('beta');
    const now = (await t.get('/v1/users/bo')).json();
    expect(now.accountId).toBe('beta');
  });
});
