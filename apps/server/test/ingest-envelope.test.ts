import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

/** What real clients send that is not quite the textbook body. */
describe('ingestion envelopes as clients send them', () => {
  let t: TestApp;
  const zone = process.env.TZ;
  beforeAll(async () => {
    // A server whose clock is not on UTC: timestamps without a zone must not follow it.
    process.env.TZ = 'America/New_York';
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    process.env.TZ = zone;
    await t.close();
  });

  const post = (url: string, payload: string | object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: t.writeAuth, 'content-type': 'application/json' },
      payload,
    });
  const track = (messageId: unknown, extra: object = {}) => ({
    type: 'track',
    messageId,
    userId: 'u1',
    event: 'report_exported',
    ...extra,
  });

  it('reads null envelope fields as absent (Segment libraries send null for none)', async () => {
    const response = await post('/v1/batch', {
      batch: [track('env-null')],
      sentAt: null,
      context: null,
      integrations: null,
    });
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('reads a timestamp without a zone as UTC', async () => {
    await post('/v1/batch', {
      batch: [track('env-zoneless', { timestamp: '2026-03-10T09:00:00' })],
    });
    const stored = await sql<{ timestamp: Date }>`
      select timestamp from events where message_id = 'env-zoneless'`.execute(t.app.services.db);
    expect(stored.rows[0]!.timestamp.toISOString()).toBe('2026-03-10T09:00:00.000Z');
  });

  it('reads a query asOf without a zone as UTC too', async () => {
    const list = await t.get('/v1/accounts?asOf=2026-03-10T09:00:00');
    expect(list.statusCode).toBe(200);
    expect(list.json().asOf).toBe('2026-03-10T09:00:00.000Z');
  });

  it('accepts a body after a byte-order mark, and a trailing slash', async () => {
    const bom = await post('/v1/batch', `\uFEFF${JSON.stringify({ batch: [track('env-bom')] })}`);
    expect(bom.json()).toMatchObject({ accepted: 1 });
    const slash = await post('/v1/batch/', { batch: [track('env-slash')] });
    expect(slash.json()).toMatchObject({ accepted: 1 });
  });

  it('names a numeric messageId in its rejection', async () => {
    const response = await post('/v1/batch', { batch: [track(12345, { event: '' })] });
    expect(response.json().rejected).toEqual([
      expect.objectContaining({ index: 0, messageId: '12345' }),
    ]);
  });
});

describe("Segment analytics.js's paths", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('accepts each call at the first letter of its type, with the write key in the body', async () => {
    const calls = [
      ['t', { event: 'login', userId: 'u1' }],
      ['i', { userId: 'u1', traits: { email: 'u1@acme.test' } }],
      ['g', { userId: 'u1', groupId: 'acme', traits: { plan: 'pro' } }],
      ['p', { userId: 'u1', name: 'Pricing' }],
      ['s', { userId: 'u1', name: 'Home' }],
      ['a', { userId: 'u1', previousId: 'anon-1' }],
    ] as const;
    for (const [letter, message] of calls) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/${letter}`,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ ...message, writeKey: t.writeKey, messageId: `ajs-${letter}` }),
      });
      expect(response.json(), letter).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    }
    const types = await sql<{ message_id: string; type: string }>`
      select message_id, type from events order by message_id`.execute(t.app.services.db);
    expect(types.rows.map((row) => `${row.message_id}:${row.type}`)).toEqual([
      'ajs-a:alias',
      'ajs-g:group',
      'ajs-i:identify',
      'ajs-p:page',
      'ajs-s:screen',
      'ajs-t:track',
    ]);
  });

  it('drops the usage counters analytics.js posts to /v1/m, with a 204 and nothing stored', async () => {
    const before = await sql<{ n: number }>`
      select count(*)::int as n from events`.execute(t.app.services.db);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/m',
      headers: { 'content-type': 'text/plain', origin: 'https://app.example' },
      payload: JSON.stringify({
        series: [
          {
            type: 'Counter',
            metric: 'analytics_js.invoke',
            value: 1,
            tags: { library: 'analytics.js', library_version: 'npm:next-1.84.3' },
          },
        ],
      }),
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBeDefined();
    const after = await sql<{ n: number }>`
      select count(*)::int as n from events`.execute(t.app.services.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
