import { gzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

const DAY = '2026-03-10';

function batchOf(options: { sentAt?: string; withTimestamps?: boolean } = {}) {
  const at = (time: string) =>
    options.withTimestamps === false ? {} : { timestamp: `${DAY}T${time}Z` };
  return {
    ...(options.sentAt ? { sentAt: options.sentAt } : {}),
    batch: [
      {
        type: 'identify',
        messageId: 'm-identify',
        userId: 'ada',
        anonymousId: 'anon-1',
        traits: { email: 'ada@acme.test' },
        ...at('09:00:00'),
      },
      {
        type: 'group',
        messageId: 'm-group',
        userId: 'ada',
        groupId: 'acme',
        traits: { name: 'Acme', plan: 'team', mrr: 490, seats: 10 },
        ...at('09:00:01'),
      },
      {
        type: 'track',
        messageId: 'm-login',
        userId: 'ada',
        event: 'login',
        properties: { method: 'sso' },
        ...at('09:00:02'),
      },
      {
        type: 'track',
        messageId: 'm-feature',
        userId: 'ada',
        event: 'feature_used',
        properties: { feature: 'reports' },
        ...at('09:05:00'),
      },
      {
        type: 'track',
        messageId: 'm-ticket',
        userId: 'ada',
        event: 'support_ticket_opened',
        properties: { ticketId: 'T-1' },
        ...at('10:00:00'),
      },
      {
        type: 'page',
        messageId: 'm-page',
        anonymousId: 'anon-1',
        name: 'Pricing',
        ...at('10:30:00'),
      },
      {
        type: 'alias',
        messageId: 'm-alias',
        previousId: 'old-ada',
        userId: 'ada',
        ...at('10:31:00'),
      },
    ],
  };
}

async function counts(t: TestApp) {
  const { db } = t.app.services;
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!
        .n,
    );
  const sums = await sql<Record<string, number>>`
    select coalesce(sum(events), 0) as events, coalesce(sum(logins), 0) as logins,
      coalesce(sum(feature_uses), 0) as feature_uses, coalesce(sum(tickets_opened), 0) as tickets,
      coalesce(sum(page_views), 0) as page_views
    from account_daily`.execute(db);
  return {
    events: await count('events'),
    eventKeys: await count('event_keys'),
    users: await count('users'),
    accounts: await count('accounts'),
    accountUsers: await count('account_users'),
    identities: await count('identities'),
    userDays: await count('user_daily'),
    featureDays: await count('feature_daily'),
    tickets: await count('support_tickets'),
    accountDaily: sums.rows[0],
  };
}

describe.each(engines)('ingestion on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  // The secret key, as a backend sends: the batch carries MRR and seats traits.
  const send = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: body as object,
      headers: { authorization: t.serverAuth, ...headers },
    });

  it('stores a batch with its rollups, and a resend with another sentAt changes nothing', async () => {
    const first = await send(batchOf({ sentAt: `${DAY}T10:31:00Z` }));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 7, duplicates: 0, rejected: [] });
    const after = await counts(t);
    expect(after).toMatchObject({
      events: 7,
      users: 1,
      accounts: 1,
      accountUsers: 1,
      identities: 2, // anon-1 (identify) and old-ada (alias)
      featureDays: 1,
      tickets: 1,
      // login, feature_used, ticket and the page (anon-1 resolves to ada, who is in acme).
      accountDaily: { events: 4, logins: 1, feature_uses: 1, tickets: 1, page_views: 1 },
    });

    const retry = await send(batchOf({ sentAt: `${DAY}T18:00:00Z` }));
    expect(retry.json()).toEqual({ accepted: 0, duplicates: 7, rejected: [] });
    expect(await counts(t)).toEqual(after);
  });

  it('deduplicates a resend that carries no timestamps', async () => {
    const before = await counts(t);
    const batch = {
      batch: [
        { type: 'track', messageId: 'no-ts-1', userId: 'ada', event: 'login' },
        {
          type: 'track',
          messageId: 'no-ts-2',
          userId: 'ada',
          event: 'feature_used',
          properties: { feature: 'export' },
        },
      ],
    };
    expect((await send(batch)).json()).toMatchObject({ accepted: 2, duplicates: 0 });
    const once = await counts(t);
    expect(once.events).toBe(before.events + 2);
    expect((await send({ ...batch, sentAt: new Date().toISOString() })).json()).toMatchObject({
      accepted: 0,
      duplicates: 2,
    });
    expect(await counts(t)).toEqual(once);
  });

  it('attributes events to the account of the user’s group call', async () => {
    const rows = await t.app.services.db
      .selectFrom('events')
      .select(['message_id', 'account_id', 'user_id'])
      .where('message_id', 'in', ['m-login', 'm-page', 'no-ts-1'])
      .orderBy('message_id')
      .execute();
    expect(rows).toEqual([
      { message_id: 'm-login', account_id: 'acme', user_id: 'ada' },
      { message_id: 'm-page', account_id: 'acme', user_id: 'ada' },
      { message_id: 'no-ts-1', account_id: 'acme', user_id: 'ada' },
    ]);
    const account = await t.app.services.db
      .selectFrom('accounts')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      account_id: 'acme',
      name: 'Acme',
      plan: 'team',
      mrr: 490,
      seats: 10,
    });
  });

  it('stores valid events and reports invalid ones by index', async () => {
    const response = await send({
      batch: [
        { type: 'track', messageId: 'ok-1', userId: 'u2', event: 'report_exported' },
        { type: 'track', messageId: 'bad-1', event: 'login' },
        { type: 'track', messageId: 'bad-2', userId: 'u2', event: 'feature_used', properties: {} },
        'not a message',
        {
          type: 'track',
          messageId: 'ok-2',
          userId: 'u2',
          event: 'login',
          context: { groupId: 'globex' },
        },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 1, messageId: 'bad-1', code: 'missing_identity' }),
      expect.objectContaining({
        index: 2,
        messageId: 'bad-2',
        code: 'invalid_semantic_event',
        path: 'properties.feature',
      }),
      expect.objectContaining({ index: 3, messageId: null, code: 'invalid_message' }),
    ]);
    const stored = await t.app.services.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'like', 'bad-%')
      .execute();
    expect(stored).toEqual([]);
  });

  it('corrects clock skew from sentAt and clamps future timestamps', async () => {
    const before = Date.now();
    // The sender's clock is one hour fast: the event happened 10 s before it was sent.
    const skewed = new Date(before + 3_600_000);
    const response = await send({
      sentAt: skewed.toISOString(),
      batch: [
        {
          type: 'track',
          messageId: 'skew-1',
          userId: 'u3',
          event: 'login',
          timestamp: new Date(skewed.getTime() - 10_000).toISOString(),
        },
        {
          type: 'track',
          messageId: 'future-1',
          userId: 'u3',
          event: 'login',
          timestamp: '2099-01-01T00:00:00Z',
          sentAt: '2099-01-01T00:00:00Z',
        },
        // A message's own sentAt wins over the batch's: this sender's clock is a minute slow.
        {
          type: 'track',
          messageId: 'own-sent-at-1',
          userId: 'u3',
          event: 'login',
          timestamp: new Date(before - 65_000).toISOString(),
          sentAt: new Date(before - 60_000).toISOString(),
        },
      ],
    });
    expect(response.json().accepted).toBe(3);
    const rows = await t.app.services.db
      .selectFrom('events')
      .select(['message_id', 'timestamp', 'received_at'])
      .where('message_id', 'in', ['skew-1', 'future-1', 'own-sent-at-1'])
      .orderBy('message_id')
      .execute();
    const [future, own, skew] = rows;
    expect(future!.timestamp.getTime()).toBe(future!.received_at.getTime());
    const lagOf = (row: typeof skew) => row!.received_at.getTime() - row!.timestamp.getTime();
    expect(lagOf(skew)).toBe(10_000);
    expect(lagOf(own)).toBe(5_000);
  });

  it('accepts the write key in the body and on single-message endpoints', async () => {
    const beacon = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({
        writeKey: t.writeKey,
        batch: [{ type: 'track', userId: 'u4', event: 'login', messageId: 'beacon-1' }],
      }),
    });
    expect(beacon.json()).toMatchObject({ accepted: 1 });
    for (const [type, message] of [
      ['track', { userId: 'u4', event: 'kb_article_viewed', properties: { articleId: 'kb-1' } }],
      ['identify', { userId: 'u4', traits: { role: 'admin' } }],
      ['group', { userId: 'u4', groupId: 'initech' }],
      ['page', { userId: 'u4', name: 'Docs' }],
      ['screen', { userId: 'u4', name: 'Home' }],
      ['alias', { userId: 'u4', previousId: 'anon-4' }],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/${type}`,
        headers: { authorization: t.writeAuth },
        payload: message,
      });
      expect(response.statusCode, type).toBe(200);
      expect(response.json()).toMatchObject({ accepted: 1 });
    }
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: t.writeAuth },
      payload: { userId: 'u4' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({
      code: 'invalid_event',
      details: { path: 'event' },
    });
  });

  it('refuses bad requests with stable error codes', async () => {
    const cases: [InjectOptions, number, string][] = [
      [{ method: 'POST', url: '/v1/batch', payload: { batch: [] } }, 401, 'missing_write_key'],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: { batch: [] },
          headers: { authorization: `Basic ${Buffer.from('tw_nope:').toString('base64')}` },
        },
        401,
        'invalid_write_key',
      ],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: '{"batch": [',
          headers: { authorization: t.writeAuth, 'content-type': 'application/json' },
        },
        400,
        'malformed_json',
      ],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: { events: [] },
          headers: { authorization: t.writeAuth },
        },
        400,
        'invalid_batch',
      ],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: { batch: Array.from({ length: 2501 }, () => ({})) },
          headers: { authorization: t.writeAuth },
        },
        413,
        'batch_too_large',
      ],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: { batch: [], pad: 'x'.repeat(600_000) },
          headers: { authorization: t.writeAuth },
        },
        413,
        'payload_too_large',
      ],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: Buffer.from('not gzip'),
          headers: {
            authorization: t.writeAuth,
            'content-type': 'application/json',
            'content-encoding': 'gzip',
          },
        },
        400,
        'invalid_gzip',
      ],
      [
        {
          method: 'POST',
          url: '/v1/batch',
          payload: Buffer.from('{}'),
          headers: {
            authorization: t.writeAuth,
            'content-type': 'application/json',
            'content-encoding': 'br',
          },
        },
        415,
        'unsupported_encoding',
      ],
      [{ method: 'GET', url: '/v1/nowhere' }, 404, 'not_found'],
    ];
    for (const [request, status, code] of cases) {
      const response = await t.app.inject(request);
      expect({ status: response.statusCode, code: response.json().error?.code }, code).toEqual({
        status,
        code,
      });
      expect(response.json().error.message).toEqual(expect.any(String));
    }
  });

  it('inflates gzip bodies, and refuses a gzip bomb at 500 KB inflated', async () => {
    const body = { batch: [{ type: 'track', messageId: 'gz-1', userId: 'u5', event: 'login' }] };
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        authorization: t.writeAuth,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: gzipSync(JSON.stringify(body)),
    });
    expect(ok.json()).toMatchObject({ accepted: 1 });
    const bomb = gzipSync(JSON.stringify({ batch: [], pad: ' '.repeat(5_000_000) }));
    expect(bomb.length).toBeLessThan(50_000);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        authorization: t.writeAuth,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: bomb,
    });
    expect(refused.statusCode).toBe(413);
  });
});
