import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createProject, type ProjectCredentials } from '../src/admin/projects.js';
import { type BuildAppOptions, buildApp } from '../src/app.js';
import type { Engine } from '../src/db/open-database.js';
import { openTestDatabase } from './test-database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp extends ProjectCredentials {
  app: FastifyInstance;
  /** Basic auth header value for the project's public write key (behaviour only). */
  writeAuth: string;
  /** Basic auth header value for the project's secret key: ingestion with revenue facts. */
  serverAuth: string;
  /**
   * Sends messages through `POST /v1/batch` with the secret key (as a backend does, so revenue
   * facts are taken); the test fails unless every one is accepted.
   */
  ingest(batch: readonly object[]): Promise<void>;
  /** `GET url` with the project's secret key, or `key`. */
  get(url: string, key?: string): Promise<LightMyRequestResponse>;
  /** The secret key of another project on the same server, for scoping tests. */
  otherProjectKey(): Promise<string>;
  close(): Promise<void>;
}

/** Every URL answers 400 `invalid_request`. */
export async function expectBadRequests(t: TestApp, urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    const response = await t.get(url);
    expect(response.statusCode, url).toBe(400);
    expect(response.json().error.code, url).toBe('invalid_request');
  }
}

/** A server on a fresh database of `engine`, with one project. */
export async function createTestApp(
  engine: Engine,
  config: BuildAppOptions['config'] = {},
): Promise<TestApp> {
  const database = await openTestDatabase(engine);
  const app = await buildApp({ database, config: { TENURE_ADMIN_TOKEN: ADMIN_TOKEN, ...config } });
  const credentials = await createProject(app.services.db, { name: 'Test project' });
  const writeAuth = `Basic ${Buffer.from(`${credentials.writeKey}:`).toString('base64')}`;
  const serverAuth = `Basic ${Buffer.from(`${credentials.secretKey}:`).toString('base64')}`;
  return {
    ...credentials,
    app,
    writeAuth,
    serverAuth,
    async ingest(batch) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: serverAuth },
        payload: { batch },
      });
      expect(response.json()).toMatchObject({ accepted: batch.length, rejected: [] });
    },
    get: (url, key = credentials.secretKey) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } }),
    async otherProjectKey() {
      return (await createProject(app.services.db, { name: 'Other project' })).secretKey;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
