import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';

const at = '2026-03-10T09:00:00.000Z';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

const revenueBatch = [
  { type: 'track', messageId: 'login', userId: 'ada', event: 'login', timestamp: at },
  {
    type: 'track',
    messageId: 'forged-start',
    userId: 'ada',
    event: 'subscription_started',
    properties: { plan: 'pro', mrr: 1_000_000 },
    context: { groupId: 'acme' },
    timestamp: at,
  },
  {
    type: 'group',
    messageId: 'group',
    userId: 'ada',
    groupId: 'acme',
    traits: { name: 'Acme', plan: 'pro', mrr: 1_000_000, seats: 500 },
    timestamp: at,
  },
];

describe.each(engines)('key scopes (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (authorization: string, batch: object[], headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization, ...headers },
      payload: { batch },
    });

  it('refuses revenue events from the public key, stores the rest, and leaves revenue traits out', async () => {
    const response = await send(t.writeAuth, revenueBatch);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        expect.objectContaining({
          index: 1,
          messageId: 'forged-start',
          code: 'forbidden_for_public_key',
        }),
      ],
      ignoredTraits: [
        {
          index: 2,
          messageId: 'group',
          code: 'forbidden_for_public_key',
          traits: ['mrr', 'seats'],
        },
      ],
    });
    const account = (await t.get('/v1/accounts/acme')).json();
    expect(account).toMatchObject({ name: 'Acme', plan: 'pro', mrr: null });
    const reasons = (await t.get('/v1/metrics/churn-reasons')).json();
    expect(JSON.stringify(reasons)).not.toContain('1000000');
  });

  it('takes revenue facts from the secret key, in HTTP Basic as the Node SDK sends it', async () => {
    const batch = JSON.parse(JSON.stringify(revenueBatch).replaceAll('acme', 'globex'));
    for (const message of batch) message.messageId = `server-${message.messageId}`;
    const response = await send(basic(t.secretKey), batch);
    expect(response.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect((await t.get('/v1/accounts/globex')).json()).toMatchObject({ mrr: 1_000_000 });
  });

  it('answers a single revenue call with the public key 403 forbidden_for_public_key', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: t.writeAuth },
      payload: revenueBatch[1]!,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden_for_public_key');
  });

  it('enforces the allowed origins set through the settings API, for the public key only', async () => {
    const login = [revenueBatch[0]!];
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings/allowed-origins',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { allowedOrigins: ['https://app.acme.test/some/path'] },
    });
    expect(put.json()).toEqual({ allowedOrigins: ['https://app.acme.test'] });
    expect((await t.get('/v1/settings/allowed-origins')).json()).toEqual({
      allowedOrigins: ['https://app.acme.test'],
    });

    const foreign = await send(t.writeAuth, login, { origin: 'https://evil.test' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('origin_not_allowed');
    const own = await send(t.writeAuth, login, { origin: 'https://app.acme.test' });
    expect(own.statusCode).toBe(200);

    const bad = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings/allowed-origins',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { allowedOrigins: ['javascript:alert(1)'] },
    });
    expect(bad.statusCode).toBe(400);
  });
});
