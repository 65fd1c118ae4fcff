import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';

/**
 * A hostile black-box pass over the ingestion API: what an independent tester throws at it
 * with real clients. Every answer must be a 2xx with per-event rejections or a JSON error with
 * a stable code; never a 500, never a partial write.
 */

type Headers = Record<string, string>;

const basic = (user: string, password = '') =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let sequence = 0;
function nextId(prefix: string) {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

const track = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'report_exported',
  userId: 'hostile-user',
  messageId: nextId('m'),
  ...extra,
});

function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toEqual({
    error: expect.objectContaining({ code, message: expect.any(String) }),
  });
}

/** The batch answer, checked for exactly the documented shape. */
function ingestResult(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as {
    accepted: number;
    duplicates: number;
    rejected: { index: number; messageId: string | null; code: string; path: string | null }[];
  };
  expect(Object.keys(body).sort()).toEqual(['accepted', 'duplicates', 'rejected']);
  for (const rejection of body.rejected) {
    expect(Object.keys(rejection).sort()).toEqual([
      'code',
      'index',
      'message',
      'messageId',
      'path',
    ]);
  }
  return body;
}

describe.each(engines)('hostile ingestion on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (
    payload: string | Buffer | object,
    headers: Headers = {},
    url = '/v1/batch',
    method: 'POST' | 'GET' | 'PUT' | 'DELETE' | 'PATCH' = 'POST',
  ) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: t.writeAuth, ...headers },
      payload:
        typeof payload === 'object' && !Buffer.isBuffer(payload)
          ? JSON.stringify(payload)
          : payload,
    });

  const batch = (items: unknown[], extra: object = {}, headers: Headers = {}) =>
    send({ batch: items, ...extra }, { 'content-type': 'application/json', ...headers });

  async function storedEvent(messageId: string) {
    const response = await t.get(`/v1/events?userId=hostile-user&from=2000-01-01`);
    expect(response.statusCode).toBe(200);
    let page = response.json() as { data: { messageId: string }[]; nextCursor: string | null };
    const found = () => page.data.filter((event) => event.messageId === messageId);
    while (found().length === 0 && page.nextCursor) {
      page = (
        await t.get(`/v1/events?userId=hostile-user&from=2000-01-01&cursor=${page.nextCursor}`)
      ).json();
    }
    return found() as Record<string, unknown>[];
  }

  describe('write keys', () => {
    it('accepts HTTP Basic with any or no password, and writeKey in the body', async () => {
      for (const authorization of [
        basic(t.writeKey),
        basic(t.writeKey, 'whatever'),
        `Basic ${Buffer.from(t.writeKey).toString('base64')}`,
      ]) {
        expect(ingestResult(await batch([track()], {}, { authorization })).accepted).toBe(1);
      }
      // sendBeacon: text/plain, no header; also no content type at all, and json with charset
      for (const contentType of [
        'text/plain;charset=UTF-8',
        undefined,
        'application/json; charset=utf-8',
      ]) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: contentType ? { 'content-type': contentType } : {},
          payload: JSON.stringify({ writeKey: t.writeKey, batch: [track()] }),
        });
        expect(ingestResult(response).accepted, String(contentType)).toBe(1);
      }
    });

    it('refuses missing, unknown, malformed and revoked keys with 401', async () => {
      const noAuth = (payload: object, headers: Headers = {}) =>
        t.app.inject({ method: 'POST', url: '/v1/batch', headers, payload });
      expectError(await noAuth({ batch: [track()] }), 401, 'missing_write_key');
      expectError(await noAuth({ batch: [track()], writeKey: 42 }), 401, 'missing_write_key');
      expectError(await noAuth({ batch: [track()], writeKey: '' }), 401, 'missing_write_key');
      expectError(
        await noAuth({ batch: [track()] }, { authorization: 'Basic !!!' }),
        401,
        'missing_write_key',
      );
      // An unknown secret-looking key too (the project's secret key is a server credential:
      // test/key-scopes.test.ts).
      for (const key of ['tw_nope', 'ts_nope', '\u0000abc', 'x'.repeat(10_000)]) {
        expectError(
          await noAuth({ batch: [track()] }, { authorization: basic(key) }),
          401,
          'invalid_write_key',
        );
        expectError(await noAuth({ batch: [track()], writeKey: key }), 401, 'invalid_write_key');
      }

      const other = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/projects',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { name: 'rotated' },
      });
      const { projectId, writeKey } = other.json() as { projectId: string; writeKey: string };
      expect(
        ingestResult(await batch([track()], {}, { authorization: basic(writeKey) })).accepted,
      ).toBe(1);
      const rotated = await t.app.inject({
        method: 'POST',
        url: `/v1/admin/projects/${projectId}/keys`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { kind: 'write' },
      });
      expect(rotated.statusCode).toBe(200);
      expectError(
        await batch([track()], {}, { authorization: basic(writeKey) }),
        401,
        'invalid_write_key',
      );
      const fresh = (rotated.json() as { key: string }).key;
      expect(
        ingestResult(await batch([track()], {}, { authorization: basic(fresh) })).accepted,
      ).toBe(1);
    });
  });

  describe('bodies', () => {
    it('answers malformed or misshapen JSON with 400 and a stable code', async () => {
      const json = { 'content-type': 'application/json' };
      expectError(await send('{"batch": [', json), 400, 'malformed_json');
      expectError(await send('', json), 400, 'malformed_json');
      expectError(
        await send('{"batch": []} trailing', { 'content-type': 'text/plain' }),
        400,
        'malformed_json',
      );
      for (const body of ['null', '[]', '"batch"', '42', '{"batch":{}}', '{"batch":"x"}']) {
        expectError(await send(body, json), 400, 'invalid_batch');
      }
      expectError(await batch([track()], { context: [] }), 400, 'invalid_batch');
      expectError(await batch([track()], { sentAt: 'tomorrow' }), 400, 'invalid_batch');
    });

    it('refuses bodies over 500 KB with 413, before and after gzip inflation', async () => {
      const big = { batch: [track({ properties: { blob: 'x'.repeat(600 * 1024) } })] };
      expectError(
        await send(big, { 'content-type': 'application/json' }),
        413,
        'payload_too_large',
      );
      // 200 MB of spaces gzip to ~200 KB: a bomb under the wire limit.
      const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 });
      expect(bomb.length).toBeLessThan(500 * 1024);
      const before = process.memoryUsage().rss;
      expectError(await send(bomb, { 'content-encoding': 'gzip' }), 413, 'payload_too_large');
      expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    });

    it('reads gzip bodies, and answers corrupt ones with 400 invalid_gzip', async () => {
      const body = JSON.stringify({ batch: [track()] });
      expect(
        ingestResult(await send(gzipSync(body), { 'content-encoding': 'gzip' })).accepted,
      ).toBe(1);
      for (const corrupt of [
        Buffer.from('not gzip at all'),
        gzipSync(body).subarray(0, 20),
        Buffer.concat([gzipSync(JSON.stringify({ batch: [track()] })), Buffer.from('junk')]),
        Buffer.from(body),
      ]) {
        expectError(await send(corrupt, { 'content-encoding': 'gzip' }), 400, 'invalid_gzip');
      }
      expectError(await send(body, { 'content-encoding': 'br' }), 415, 'unsupported_encoding');
    });

    it('refuses more than 2,500 events and takes exactly 2,500', async () => {
      const many = (n: number) => Array.from({ length: n }, () => track({ event: 'bulk' }));
      expectError(await batch(many(2501)), 413, 'batch_too_large');
      expect(ingestResult(await batch(many(2500))).accepted).toBe(2500);
    });

    it('rejects an event over 32 KB by index and stores the rest', async () => {
      const big = track({ properties: { blob: 'x'.repeat(33 * 1024) } });
      const small = track();
      const result = ingestResult(await batch([big, small]));
      expect(result).toMatchObject({
        accepted: 1,
        rejected: [{ index: 0, messageId: big.messageId, code: 'event_too_large' }],
      });
      expect(await storedEvent(big.messageId)).toHaveLength(0);
    });

    it('rejects nesting 1,000 and 100,000 levels deep without overflowing the stack', async () => {
      const nested = (depth: number, open: string, close: string, inner: string) =>
        open.repeat(depth) + inner + close.repeat(depth);
      const deepProperties = `{"batch":[{"type":"track","event":"x","userId":"u","properties":${nested(1000, '{"a":', '}', '1')}}]}`;
      expect(ingestResult(await send(deepProperties)).rejected).toMatchObject([
        { index: 0, code: 'too_deep' },
      ]);
      const deepItem = `{"batch":[${nested(100_000, '[', ']', '')}]}`;
      expect(ingestResult(await send(deepItem)).rejected).toMatchObject([
        { index: 0, code: 'invalid_message' },
      ]);
      // The type is read before the depth check: it must not be serialized into the message.
      const deepType = `{"batch":[{"type":${nested(100_000, '[', ']', '')},"userId":"u"}]}`;
      expect(ingestResult(await send(deepType)).rejected).toMatchObject([
        { index: 0, code: 'unknown_type', path: 'type' },
      ]);
      const hugeType = ingestResult(await batch([{ type: 't'.repeat(200_000), userId: 'u' }]));
      expect(JSON.stringify(hugeType).length).toBeLessThan(1000);
    });
  });

  describe('values Postgres cannot store', () => {
    it('rejects NUL characters and lone surrogates per event, never writing them', async () => {
      const bad = [
        track({ properties: { text: 'a\u0000b' } }),
        track({ properties: { 'key\u0000': 1 } }),
        track({ userId: 'hostile-user\u0000' }),
      ];
      const good = track();
      // Lone surrogates must be written as JSON escapes: JSON.stringify would keep them as is.
      const surrogate = `{"type":"track","event":"x","userId":"hostile-user","messageId":"lone","properties":{"s":"\\ud800"}}`;
      const body = `{"batch":[${bad.map((m) => JSON.stringify(m)).join(',')},${surrogate},${JSON.stringify(good)}]}`;
      const result = ingestResult(await send(body));
      expect(result.accepted).toBe(1);
      expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
        [0, 'invalid_message'],
        [1, 'invalid_message'],
        [2, 'invalid_message'],
        [3, 'invalid_message'],
      ]);
      expect(await storedEvent(good.messageId)).toHaveLength(1);
      expect(await storedEvent('lone')).toHaveLength(0);
    });

    it('keeps -0 and large numbers, and rejects numbers that overflowed or ids that lost digits', async () => {
      const id = nextId('numbers');
      const body = `{"batch":[
        {"type":"track","event":"n","userId":"hostile-user","messageId":"${id}","properties":{"zero":-0,"big":1e308,"int":12345678901234567890}},
        {"type":"track","event":"n","userId":"hostile-user","properties":{"inf":1e400}},
        {"type":"track","event":"n","userId":123456789012345678901234567890}]}`;
      const result = ingestResult(await send(body));
      expect(result.accepted).toBe(1);
      expect(result.rejected).toMatchObject([
        { index: 1, code: 'invalid_message' },
        { index: 2, code: 'invalid_message', path: 'userId' },
      ]);
      const [stored] = await storedEvent(id);
      expect(stored?.properties).toEqual({ zero: 0, big: 1e308, int: 12345678901234567000 });
    });

    it.each([
      ['timestamp', { timestamp: '0000-01-01T00:00:00Z', sentAt: '0000-01-01T00:00:00Z' }],
      ['sentAt', { sentAt: '0000-06-01T00:00:00Z' }],
      ['originalTimestamp', { originalTimestamp: '0000-06-01T00:00:00Z' }],
    ])(
      'rejects a year-0000 %s per event instead of failing the flush with 503',
      async (path, fields) => {
        const result = ingestResult(await batch([track(fields), track()]));
        expect(result).toMatchObject({
          accepted: 1,
          rejected: [{ index: 0, code: 'invalid_timestamp', path }],
        });
      },
    );

    it('rejects subscription properties the writer casts, and does not fail the other requests of the flush', async () => {
      const poison = [
        { event: 'subscription_cancelled', properties: { reason: 'price', seats: 'abc' } },
        { event: 'subscription_cancelled', properties: { reason: 'price', seats: 1.5 } },
        { event: 'subscription_cancelled', properties: { reason: 'price', endsAt: '0000-01-01' } },
        { event: 'subscription_started', properties: { plan: 'pro', mrr: 1, endsAt: 'garbage' } },
      ].map((fields) => track({ ...fields, context: { groupId: 'acct-poison' } }));
      const good = Array.from({ length: 20 }, () => batch([track({ event: 'neighbour' })]));
      const [bad, ...others] = await Promise.all([batch(poison), ...good]);
      expect(ingestResult(bad!)).toMatchObject({
        accepted: 0,
        rejected: [
          { index: 0, code: 'invalid_semantic_event', path: 'properties.seats' },
          { index: 1, code: 'invalid_semantic_event', path: 'properties.seats' },
          { index: 2, code: 'invalid_semantic_event', path: 'properties.endsAt' },
          { index: 3, code: 'invalid_semantic_event', path: 'properties.endsAt' },
        ],
      });
      for (const response of others) expect(ingestResult(response).accepted).toBe(1);
    });
  });

  describe('timestamps', () => {
    it('clamps the future, corrects skew, normalizes offsets and rejects the impossible', async () => {
      const now = Date.now();
      const future = track({ timestamp: '2999-01-01T00:00:00Z' });
      // A client clock one hour fast: the event happened 10 s before sending.
      const skewed = track({
        timestamp: new Date(now + 3600_000 - 10_000).toISOString(),
        sentAt: new Date(now + 3600_000).toISOString(),
      });
      const offset = track({ timestamp: '2024-06-01T10:00:00+05:30' });
      const dateOnly = track({ timestamp: '2024-06-01' });
      const result = ingestResult(
        await batch([
          future,
          skewed,
          offset,
          dateOnly,
          track({ timestamp: 'yesterday' }),
          track({ timestamp: 1_700_000_000_000 }),
          track({ timestamp: '1999-12-31T23:59:59Z' }),
          track({ timestamp: '2024-02-30T00:00:00Z' }),
          track({ timestamp: '2024-01-01T25:00:00Z' }),
        ]),
      );
      expect(result.accepted).toBe(4);
      expect(result.rejected.map((r) => [r.index, r.code, r.path])).toEqual([
        [4, 'invalid_timestamp', 'timestamp'],
        [5, 'invalid_timestamp', 'timestamp'],
        [6, 'invalid_timestamp', 'timestamp'],
        [7, 'invalid_timestamp', 'timestamp'],
        [8, 'invalid_timestamp', 'timestamp'],
      ]);
      const at = async (id: string) => Date.parse(String((await storedEvent(id))[0]?.timestamp));
      const futureAt = await at(future.messageId);
      expect(futureAt).toBeGreaterThanOrEqual(now - 1000);
      expect(futureAt).toBeLessThanOrEqual(Date.now());
      const skewedAt = await at(skewed.messageId);
      expect(skewedAt).toBeGreaterThan(now - 12_000);
      expect(skewedAt).toBeLessThan(now - 8_000 + (Date.now() - now));
      expect(await at(offset.messageId)).toBe(Date.parse('2024-06-01T04:30:00Z'));
      expect(await at(dateOnly.messageId)).toBe(Date.parse('2024-06-01T00:00:00Z'));
    });
  });

  describe('messages', () => {
    it('rejects bad messages by index with code and path, and stores the good ones', async () => {
      const good = track();
      const items: unknown[] = [
        { type: 'track', event: 'x' },
        track({ messageId: 12345 }),
        track({ messageId: 'm'.repeat(256) }),
        track({ event: '' }),
        track({ event: 'feature_used', properties: {} }),
        track({ event: 'subscription_started', properties: { plan: 'pro', mrr: 'abc' } }),
        track({ event: 'subscription_started', properties: { plan: 'pro', mrr: -5 } }),
        track({ event: 'subscription_cancelled', properties: {} }),
        track({ event: 'subscription_cancelled', properties: { reason: 'price', endsAt: 'soon' } }),
        { type: 'purchase', userId: 'u' },
        { userId: 'u', event: 'x' },
        null,
        [],
        'track',
        7,
        good,
      ];
      const result = ingestResult(await batch(items));
      expect(result.accepted).toBe(1);
      expect(result.rejected.map((r) => [r.index, r.code, r.path])).toEqual([
        [0, 'missing_identity', 'userId'],
        [1, 'invalid_message', 'messageId'],
        [2, 'invalid_message', 'messageId'],
        [3, 'invalid_message', 'event'],
        [4, 'invalid_semantic_event', 'properties.feature'],
        [5, 'invalid_semantic_event', 'properties.mrr'],
        [6, 'invalid_semantic_event', 'properties.mrr'],
        [7, 'invalid_semantic_event', 'properties.reason'],
        [8, 'invalid_semantic_event', 'properties.endsAt'],
        [9, 'unknown_type', 'type'],
        [10, 'unknown_type', 'type'],
        [11, 'invalid_message', null],
        [12, 'invalid_message', null],
        [13, 'invalid_message', null],
        [14, 'invalid_message', null],
      ]);
      expect(result.rejected[2]?.messageId).toBe('m'.repeat(256));
      expect(await storedEvent(good.messageId)).toHaveLength(1);
    });

    it('accepts null for absent fields, as Segment libraries send them', async () => {
      const page = {
        type: 'page',
        messageId: nextId('null'),
        userId: 'hostile-user',
        anonymousId: null,
        name: null,
        category: null,
        properties: null,
        timestamp: null,
        context: { groupId: null },
      };
      expect(ingestResult(await batch([page]))).toMatchObject({ accepted: 1, rejected: [] });
      expect(await storedEvent(page.messageId)).toMatchObject([
        { type: 'page', userId: 'hostile-user', anonymousId: null, accountId: null },
      ]);
    });

    it('answers the single-message endpoints with the same contract', async () => {
      for (const [url, body] of [
        ['/v1/track', { event: 'single', userId: 'hostile-user' }],
        ['/v1/identify', { userId: 'hostile-user', traits: { plan: 'pro' } }],
        ['/v1/group', { userId: 'hostile-user', groupId: 'acct-single' }],
        ['/v1/page', { anonymousId: 'anon-1', name: 'Home' }],
        ['/v1/screen', { anonymousId: 'anon-1', name: 'Settings' }],
        ['/v1/alias', { previousId: 'anon-1', userId: 'hostile-user' }],
      ] as const) {
        const response = await send({ ...body, messageId: nextId('single') }, {}, url);
        expect(ingestResult(response), url).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      }
      const refused = await send({ userId: 'u' }, {}, '/v1/track');
      expectError(refused, 400, 'invalid_event');
      expect(refused.json().error.details).toMatchObject({
        code: 'invalid_message',
        path: 'event',
      });
      expectError(await send('[]', {}, '/v1/identify'), 400, 'invalid_event');
      expectError(await send('{', {}, '/v1/alias'), 400, 'malformed_json');
    });
  });

  describe('exactly once', () => {
    it('stores a messageId once within a batch and across retries with another sentAt', async () => {
      const account = 'acct-retry';
      const item = (id: string) => ({
        type: 'track',
        event: 'feature_used',
        userId: 'hostile-user',
        messageId: id,
        properties: { feature: 'reports' },
        context: { groupId: account },
      });
      const ids = [nextId('retry'), nextId('retry'), nextId('retry')];
      const first = ingestResult(
        await batch([item(ids[0]!), item(ids[0]!), item(ids[1]!), item(ids[2]!)], {
          sentAt: new Date().toISOString(),
        }),
      );
      expect(first).toEqual({ accepted: 3, duplicates: 1, rejected: [] });

      const retries = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          batch(
            ids.map((id) => item(id)),
            { sentAt: new Date(Date.now() + i * 60_000).toISOString() },
          ),
        ),
      );
      for (const retry of retries)
        expect(ingestResult(retry)).toEqual({ accepted: 0, duplicates: 3, rejected: [] });

      const events = await t.get(`/v1/events?accountId=${account}`);
      expect((events.json() as { data: unknown[] }).data).toHaveLength(3);
      const engagement = await t.get(`/v1/accounts/${account}/engagement?interval=month`);
      expect(engagement.statusCode).toBe(200);
      const buckets = (engagement.json() as { buckets: { feature_uses: number }[] }).buckets;
      expect(buckets.reduce((sum, bucket) => sum + bucket.feature_uses, 0)).toBe(3);
    });

    it('takes 100 concurrent requests without losing or doubling any', async () => {
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          batch(
            Array.from({ length: 5 }, (_, j) => ({
              type: 'track',
              event: 'concurrent',
              userId: `c-user-${i % 9}`,
              messageId: `concurrent-${i}-${j}`,
              context: { groupId: 'acct-concurrent' },
            })),
          ),
        ),
      );
      const accepted = responses.reduce(
        (sum, response) => sum + ingestResult(response).accepted,
        0,
      );
      expect(accepted).toBe(500);
      let count = 0;
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = (
          await t.get(`/v1/events?accountId=acct-concurrent${cursor ? `&cursor=${cursor}` : ''}`)
        ).json() as { data: unknown[]; nextCursor: string | null };
        count += page.data.length;
        cursor = page.nextCursor;
      }
      expect(count).toBe(500);
    });
  });

  describe('HTTP', () => {
    it('answers a CORS preflight from any origin', async () => {
      const response = await t.app.inject({
        method: 'OPTIONS',
        url: '/v1/batch',
        headers: {
          origin: 'https://anywhere.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,content-encoding',
        },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('https://anywhere.example');
      expect(String(response.headers['access-control-allow-headers'])).toContain('authorization');
      const post = await batch([track()], {}, { origin: 'https://anywhere.example' });
      expect(ingestResult(post).accepted).toBe(1);
      expect(post.headers['access-control-allow-origin']).toBe('https://anywhere.example');
      // The browser SDK paces retries by Retry-After, which it can read only when exposed.
      expect(String(post.headers['access-control-expose-headers'])).toContain('Retry-After');
    });

    it('answers other methods and unknown paths with a JSON error, and ignores query strings', async () => {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
        const response = await send('{}', {}, '/v1/batch', method);
        expectError(response, 405, 'method_not_allowed');
        expect(response.headers.allow, method).toBe('POST');
      }
      for (const url of ['/V1/BATCH', '/v1/batches']) {
        const response = await send({ batch: [track()] }, {}, url);
        expectError(response, 404, 'not_found');
      }
      // A trailing slash is the same endpoint.
      expect(ingestResult(await send({ batch: [track()] }, {}, '/v1/batch/')).accepted).toBe(1);
      const query = await send({ batch: [track()] }, {}, '/v1/batch?writeKey=nope&x=%00');
      expect(ingestResult(query).accepted).toBe(1);
    });
  });
});
