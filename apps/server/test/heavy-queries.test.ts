import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

/**
 * Every heavy endpoint runs under the heavy-work limits (limits/heavy-work.ts): with the
 * project's one slot held, each answers 503 overloaded with Retry-After; once it is free, 200.
 */
describe('heavy queries are bounded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', {
      TENURE_HEAVY_QUERIES_PER_PROJECT: 1,
      TENURE_JOBS_INTERVAL_MINUTES: 0,
    });
    await t.ingest([
      { type: 'track', event: 'login', userId: 'ada', context: { groupId: 'acme' } },
    ]);
  });
  afterAll(() => t.close());

  const heavy = [
    { method: 'GET', url: '/v1/accounts?sort=risk' },
    { method: 'GET', url: '/v1/accounts?asOf=2026-01-01T00:00:00Z' },
    { method: 'GET', url: '/v1/metrics/churn' },
    { method: 'GET', url: '/v1/metrics/retention' },
    { method: 'GET', url: '/v1/metrics/churn-reasons' },
    { method: 'GET', url: '/v1/metrics/engagement' },
    { method: 'POST', url: '/v1/model/train' },
  ] as const;
  const send = ({ method, url }: (typeof heavy)[number]) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${t.secretKey}` },
      ...(method === 'POST' ? { payload: {} } : {}),
    });

  it('answers 503 overloaded with Retry-After while the slot is taken, and serves after', async () => {
    let release!: () => void;
    const held = t.app.services.heavyWork.run(
      t.projectId,
      'held by the test',
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    for (const request of heavy) {
      const response = await send(request);
      expect(response.statusCode, request.url).toBe(503);
      expect(response.json().error.code).toBe('overloaded');
      expect(response.headers['retry-after']).toBe('2');
    }
    // Another project is not held back by this one.
    const other = await t.otherProjectKey();
    const elsewhere = await t.get('/v1/accounts', other);
    expect(elsewhere.statusCode).toBe(200);

    release();
    await held;
    for (const request of heavy) {
      const response = await send(request);
      expect([200, 422], request.url).toContain(response.statusCode);
    }
  });
});
