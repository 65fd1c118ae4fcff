import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject, type ProjectCredentials } from '../admin/projects.js';
import { buildApp } from '../app.js';
import type { Config } from '../config/config.js';
import { ensureDemoUser } from './demo-user.js';
import { seedDemoData } from './seed-demo-data.js';

const DEMO_PROJECT_ID = 'demo';

/**
 * `tenure demo`: the server on the configured database with a demo project full of generated
 * accounts. Keys are hashed in the database, so the demo's are also kept in the data folder to
 * be printed again on the next start.
 */
export async function startDemo(config: Config) {
  const adminToken = config.TENURE_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const app = await buildApp({
    config: { ...config, TENURE_ADMIN_TOKEN: adminToken },
    logger: { level: 'warn' },
  });
  const { db } = app.services;

  mkdirSync(config.TENURE_DATA_DIR, { recursive: true });
  const keysFile = join(config.TENURE_DATA_DIR, 'demo-keys.json');
  const existing = await db
    .selectFrom('projects')
    .select('id')
    .where('id', '=', DEMO_PROJECT_ID)
    .executeTakeFirst();
  let credentials: ProjectCredentials;
  if (existing && existsSync(keysFile)) {
    credentials = JSON.parse(readFileSync(keysFile, 'utf8')) as ProjectCredentials;
  } else {
    credentials = await createProject(db, {
      name: 'Demo',
      id: existing ? undefined : DEMO_PROJECT_ID,
    });
    writeFileSync(keysFile, JSON.stringify(credentials, null, 2));
    console.log('Generating demo data...');
    const summary = await seedDemoData(app, credentials.projectId);
    console.log(summary);
  }

  const demoUser = await ensureDemoUser(db, config.TENURE_DATA_DIR, credentials.projectId);

  process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  await app.listen({ port: config.PORT, host: config.HOST });
  const url = `http://localhost:${config.PORT}`;
  console.log(`
Tenure is running at ${url}  (database: ${app.services.engine === 'pglite' ? `embedded, ${config.TENURE_DATA_DIR}` : 'Postgres'})

Workspace:     ${url}/
  sign in:     ${demoUser.email} / ${demoUser.password}

  project:     ${credentials.projectId}
  write key:   ${credentials.writeKey}
  secret key:  ${credentials.secretKey}
  admin token: ${adminToken}

Send an event:
  curl -u ${credentials.writeKey}: ${url}/v1/track -H 'content-type: application/json' \\
    -d '{"userId":"u1","event":"login","context":{"groupId":"acme"}}'

Ask for the riskiest accounts:
  curl -H 'authorization: Bearer ${credentials.secretKey}' '${url}/v1/accounts?sort=risk&limit=5'

API docs: ${url}/openapi.json   Metrics: ${url}/metrics   Stop: Ctrl+C
`);
}
