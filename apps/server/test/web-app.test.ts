import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { DatabaseHandle } from '../src/db/open-database.js';
import { defaultWebAppDir } from '../src/web/web-app-dir.js';
import { openTestDatabase } from './test-database.js';

const INDEX =
  '<!doctype html><title>Tenure workspace</title><script src="/assets/index-Ab12Cd.js"></script>';

describe('serving the web app', () => {
  let database: DatabaseHandle;
  let built: FastifyInstance;
  let missing: FastifyInstance;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenure-web-'));
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), INDEX);
    writeFileSync(join(dir, 'dist', 'assets', 'index-Ab12Cd.js'), 'console.log("app")');
    writeFileSync(join(dir, 'dist', 'favicon.svg'), '<svg/>');
    writeFileSync(join(dir, 'secret.txt'), 'outside the build');
    database = await openTestDatabase('pglite');
    built = await buildApp({ database, webAppDir: join(dir, 'dist') });
    missing = await buildApp({ database, webAppDir: join(dir, 'not-built') });
  });
  afterAll(async () => {
    await built.close();
    await missing.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('finds apps/web/dist next to the server package', () => {
    expect(defaultWebAppDir()).toMatch(/apps[/\\]web[/\\]dist$/);
  });

  it('serves index.html at / for revalidation, and hashed assets for a year', async () => {
    const index = await built.inject({ method: 'GET', url: '/', headers: html });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toBe(INDEX);
    const asset = await built.inject({ method: 'GET', url: '/assets/index-Ab12Cd.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await built.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers index.html for a page of the app (SPA fallback), only to HTML navigations', async () => {
    const page = await built.inject({
      method: 'GET',
      url: '/accounts/acme?asOf=2026-01-01',
      headers: html,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(INDEX);
    const script = await built.inject({ method: 'GET', url: '/assets/missing-123.js' });
    expect(script.statusCode).toBe(404);
    expect(script.json().error.code).toBe('not_found');
  });

  it('keeps API errors as JSON: unknown /v1 paths 404, wrong methods 405', async () => {
    const unknown = await built.inject({ method: 'GET', url: '/v1/nope', headers: html });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const wrongMethod = await built.inject({ method: 'GET', url: '/v1/batch', headers: html });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.json().error.code).toBe('method_not_allowed');
    const health = await built.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });

  it('never serves a file outside the build', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await built.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('outside the build');
    }
  });

  it('says how to build the app when there is no build', async () => {
    const page = await missing.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('pnpm build');
    const api = await missing.inject({ method: 'GET', url: '/v1/nope' });
    expect(api.statusCode).toBe(404);
  });
});
