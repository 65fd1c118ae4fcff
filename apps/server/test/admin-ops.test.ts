import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from './test-app.js';
import { engines } from './test-database.js';

describe.each(engines)('admin and operations on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it('creates a project whose new write key ingests at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/projects',
      headers: admin,
      payload: { name: 'Shop' },
    });
    expect(created.statusCode).toBe(201);
    const { projectId, writeKey, secretKey } = created.json();
    expect(projectId).toMatch(/^prj_/);
    expect(writeKey).toMatch(/^tw_/);
    expect(secretKey).toMatch(/^ts_/);
    const sent = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'u1', event: 'login' },
    });
    expect(sent.json()).toMatchObject({ accepted: 1 });
    const row = await t.app.services.db
      .selectFrom('events')
      .select('project_id')
      .executeTakeFirstOrThrow();
    expect(row.project_id).toBe(projectId);
    // Keys are stored hashed, never as given.
    const keys = await t.app.services.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('project_id', '=', projectId)
      .execute();
    expect(keys.map((k) => k.key_hash)).not.toContain(writeKey);
  });

  it('rotates a write key: the old one stops working, the new one works', async () => {
    const { projectId, writeKey } = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/admin/projects',
        headers: admin,
        payload: { name: 'Rotate' },
      })
    ).json();
    const basic = (key: string) => ({
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    });
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/projects/${projectId}/keys`,
      headers: admin,
      payload: { kind: 'write' },
    });
    expect(rotated.statusCode).toBe(200);
    const { key } = rotated.json();
    const old = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: basic(writeKey),
      payload: { userId: 'u', event: 'x' },
    });
    expect(old.json().error.code).toBe('invalid_write_key');
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: basic(key),
      payload: { userId: 'u', event: 'x' },
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('refuses admin calls without the operator token and bad project input', async () => {
    const cases = [
      [{}, 401, 'invalid_admin_token'],
      [{ authorization: 'Bearer wrong-token-wrong-token' }, 401, 'invalid_admin_token'],
    ] as const;
    for (const [headers, status, code] of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/projects',
        headers,
        payload: { name: 'X' },
      });
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/projects',
      headers: admin,
      payload: { name: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('body.name'),
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/projects/prj_none/keys',
      headers: admin,
      payload: { kind: 'secret' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('reports health, readiness, Prometheus metrics and the OpenAPI document', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toMatchObject({ status: 'ready' });
    const metrics = await t.app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    for (const name of [
      'tenure_http_requests_total',
      'tenure_events_accepted_total',
      'tenure_events_rejected_total',
      'tenure_events_duplicate_total',
      'tenure_writer_queue_depth',
      'tenure_writer_flush_seconds',
      'tenure_score_keeper_seconds_total',
      'tenure_score_keeper_accounts_total',
      'tenure_score_keeper_queue_accounts',
    ]) {
      expect(metrics.body).toContain(name);
    }
    const openapi = (await t.app.inject('/openapi.json')).json();
    expect(openapi.openapi).toBe('3.0.3');
    for (const path of [
      '/v1/batch',
      '/v1/b',
      '/v1/track',
      '/v1/identify',
      '/v1/group',
      '/v1/page',
      '/v1/screen',
      '/v1/alias',
      '/v1/admin/projects',
    ]) {
      expect(openapi.paths[path]?.post, path).toBeDefined();
    }
    expect(
      openapi.paths['/v1/batch'].post.requestBody.content['application/json'].schema.properties
        .batch.maxItems,
    ).toBe(2500);
  });
});

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      TENURE_DATA_DIR: '.tenure-data',
      TENURE_JOBS_INTERVAL_MINUTES: 60,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lists every invalid variable at once', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TENURE_ADMIN_TOKEN: 'short' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*TENURE_ADMIN_TOKEN/);
  });
});
