import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

/** A raw GET with the given headers, so that nothing in between trims them. */
function rawGet(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('errors raised before a route runs', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('serves ids as long as ingestion accepts them (255 characters, percent-encoded)', async () => {
    const accountId = `${'ü'.repeat(200)}-${'a'.repeat(54)}`;
    await t.ingest([
      { type: 'group', messageId: 'long-id', userId: 'u1', groupId: accountId, traits: {} },
    ]);
    const response = await t.get(`/v1/accounts/${encodeURIComponent(accountId)}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().accountId).toBe(accountId);
  });

  it('answers an over-long path segment with 414 in the error format', async () => {
    const response = await t.get(`/v1/accounts/${'x'.repeat(3000)}`);
    expect(response.statusCode).toBe(414);
    expect(response.json().error.code).toBe('uri_too_long');
  });

  it('answers a bad percent-encoding with 400 in the error format', async () => {
    const response = await t.get('/v1/accounts/%E0%A4%A');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_url');
  });

  it('answers a method the path does not take with 405 and Allow, and an unknown path with 404', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/v1/batch' });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('POST');
    expect(put.json().error.code).toBe('method_not_allowed');
    const remove = await t.app.inject({ method: 'DELETE', url: '/v1/accounts/acme%2F1/risk' });
    expect(remove.statusCode).toBe(405);
    expect(String(remove.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD']);
    const unknown = await t.get('/v1/accounts/acme/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('answers oversized headers with 431 in the error format', async () => {
    const response = await rawGet(port, '/healthz', { 'x-padding': 'p'.repeat(20_000) });
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body).error.code).toBe('headers_too_large');
  });
});

describe('bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('reads an empty JSON body as no body (clients send the header on a DELETE too)', async () => {
    const auth = { authorization: `Bearer ${t.secretKey}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: auth,
      payload: { url: 'https://hooks.example.com/tenure' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/v1/webhooks/${created.json().id}`,
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(deleted.statusCode).toBe(204);
  });

  it('still refuses malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' },
      payload: '{"inactivityDays":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('malformed_json');
  });
});
