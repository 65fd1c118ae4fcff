import type { FastifyInstance } from 'fastify';
import { createProject, type ProjectCredentials } from '../src/admin/projects.js';
import { type BuildAppOptions, buildApp } from '../src/app.js';
import type { Engine } from '../src/db/open-database.js';
import { openTestDatabase } from './test-database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp extends ProjectCredentials {
  app: FastifyInstance;
  /** Basic auth header value for the project's write key. */
  writeAuth: string;
  close(): Promise<void>;
}

/** A server on a fresh database of `engine`, with one project. */
export async function createTestApp(
  engine: Engine,
  config: BuildAppOptions['config'] = {},
): Promise<TestApp> {
  const database = await openTestDatabase(engine);
  const app = await buildApp({ database, config: { TENURE_ADMIN_TOKEN: ADMIN_TOKEN, ...config } });
  const credentials = await createProject(app.services.db, { name: 'Test project' });
  return {
    ...credentials,
    app,
    writeAuth: `Basic ${Buffer.from(`${credentials.writeKey}:`).toString('base64')}`,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
