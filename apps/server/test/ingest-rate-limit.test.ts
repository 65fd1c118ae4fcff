import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { citusLane } from './test-database.js';

// On PGlite only, so nothing the Citus lane could change. The refill is slow (1 event/s) so
// that a busy machine cannot refill the bucket between the two requests: the 10 that fail
// would need 5 s of it.
describe.skipIf(citusLane)('ingestion rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', {
      TENURE_RATE_LIMIT_EVENTS_PER_SECOND: 1,
      TENURE_RATE_LIMIT_BURST: 20,
    });
  });
  afterAll(() => t.close());

  const send = (prefix: string, count: number, auth = t.writeAuth) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: auth },
      payload: {
        batch: Array.from({ length: count }, (_, i) => ({
          type: 'track',
          messageId: `${prefix}-${i}`,
          userId: 'u1',
          event: 'login',
        })),
      },
    });

  it('answers 429 with Retry-After past the burst, and writes nothing of that request', async () => {
    expect((await send('first', 15)).json()).toMatchObject({ accepted: 15 });
    const limited = await send('second', 10);
    expect(limited.statusCode).toBe(429);
    // The 5 missing events, less what refilled while the first request ran.
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(5);
    expect(limited.json().error.code).toBe('rate_limited');
    const stored = await sql<{ n: number }>`
      select count(*)::int as n from events where message_id like 'second-%'`.execute(
      t.app.services.db,
    );
    expect(stored.rows[0]!.n).toBe(0);
  });

  it('limits each project on its own', async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/projects',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { name: 'Other' },
    });
    const auth = `Basic ${Buffer.from(`${other.json().writeKey}:`).toString('base64')}`;
    expect((await send('other', 15, auth)).json()).toMatchObject({ accepted: 15 });
  });
});
