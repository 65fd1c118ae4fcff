import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

/** Real HTTP on a real port: what `app.inject` cannot show (a third-party client, CORS). */
describe('over a real port', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it("stores a batch sent by Segment's own Node client", async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({
      // A server library sends MRR: it takes the secret key (docs/ingestion.md, key scopes).
      writeKey: t.secretKey,
      host: url,
      flushAt: 10,
      maxRetries: 1,
    });
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId: 'grace', traits: { email: 'grace@hopper.test' } });
    analytics.group({
      userId: 'grace',
      groupId: 'navy',
      traits: { name: 'Navy', plan: 'enterprise', mrr: 9000 },
    });
    analytics.track({ userId: 'grace', event: 'login', properties: { method: 'password' } });
    analytics.track({
      userId: 'grace',
      event: 'feature_used',
      properties: { feature: 'compiler' },
    });
    analytics.page({ userId: 'grace', name: 'Dashboard' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const { db } = t.app.services;
    const stored = await db
      .selectFrom('events')
      .select(['type', 'event', 'account_id'])
      .orderBy('timestamp')
      .execute();
    expect(stored.map((row) => row.type)).toEqual(['identify', 'group', 'track', 'track', 'page']);
    expect(
      stored.filter((row) => row.type === 'track').every((row) => row.account_id === 'navy'),
    ).toBe(true);
    const account = await db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(account).toMatchObject({ account_id: 'navy', plan: 'enterprise', mrr: 9000 });
  });

  it('answers CORS preflights so browsers can send events', async () => {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('accepts a sendBeacon-style text/plain body with the write key inside', async () => {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://app.example.com' },
      body: JSON.stringify({
        writeKey: t.writeKey,
        batch: [{ type: 'track', userId: 'grace', event: 'login', messageId: 'beacon-real' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(await response.json()).toMatchObject({ accepted: 1 });
  });
});
