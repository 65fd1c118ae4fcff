import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';

describe.each(engines)('webhook subscriptions on %s, hostile input', (engine) => {
  let t: TestApp;
  const create = (payload: string | object, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': contentType },
      payload,
    });

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  it('refuses URLs that are not http(s) or hold control characters, with a 400', async () => {
    for (const url of [
      'https://example.com/\u0000hook',
      'https://example.com/a\u0001b',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://',
      '',
    ]) {
      const response = await create({ url });
      expect(response.statusCode, JSON.stringify(url)).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
    // The signing secret is always generated; one sent by the client is refused, not ignored.
    const ownSecret = await create({ url: 'https://example.com/h', secret: 'mine' });
    expect([ownSecret.statusCode, ownSecret.json().error.message]).toEqual([
      400,
      'body: Unrecognized key: "secret"',
    ]);
    expect((await t.get('/v1/webhooks')).json()).toEqual({ webhooks: [] });
  });

  it('refuses URLs that lead inside the network by default, with a stable code', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://localhost:5432/']) {
      const response = await create({ url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error).toEqual({
        code: 'webhook_target_not_public',
        message: expect.stringContaining('set TENURE_WEBHOOK_PRIVATE_NETWORKS=allow'),
      });
    }
    expect((await t.get('/v1/webhooks')).json()).toEqual({ webhooks: [] });
  });

  it('stores the URL as deliveries will request it', async () => {
    const response = await create({ url: 'HTTPS://Hooks.Example.COM/täst?a=1' });
    expect(response.statusCode).toBe(201);
    expect(response.json().url).toBe('https://hooks.example.com/t%C3%A4st?a=1');
  });

  it('answers bodies that are not JSON objects with stable codes', async () => {
    const broken = await create('{"url":');
    expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'malformed_json']);
    const text = await create('{"url":"https://example.com/h"}', 'text/plain');
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'unsupported_media_type']);
    const none = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect([none.statusCode, none.json().error.code]).toEqual([400, 'invalid_request']);
  });
});
