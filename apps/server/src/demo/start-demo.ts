import { randomBytes } from 'node:crypto';
import { buildApp } from '../app.js';
import type { Config } from '../config/config.js';
import { analyzeIfNeverAnalyzed } from '../db/planner-statistics.js';
import {
  DEMO_PROJECT_ID,
  findDemoGeneration,
  finishDemoGeneration,
  startDemoGeneration,
  workingDemoKeys,
} from './demo-generation.sql.js';
import { ensureDemoUser } from './demo-user.js';
import { seedDemoData } from './seed-demo-data.js';

export interface DemoOptions {
  accounts: number;
  days: number;
}

/**
 * `tenure demo`: the server on the configured database with a demo project full of generated
 * accounts. The demo's keys are kept in that database (`demo_generations`), so each database
 * prints its own working keys; a generation interrupted before it finished is resumed over the
 * same window on the next start (the events already written are skipped by their message ids).
 */
export async function startDemo(config: Config, options: DemoOptions) {
  const adminToken = config.TENURE_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const app = await buildApp({
    config: { ...config, TENURE_ADMIN_TOKEN: adminToken },
    logger: { level: 'warn' },
  });
  const { db } = app.services;
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let generation = await findDemoGeneration(db);
  if (!generation) {
    const legacy = await db
      .selectFrom('projects')
      .select('id')
      .where('id', '=', DEMO_PROJECT_ID)
      .executeTakeFirst();
    if (legacy) {
      // A demo project from a version that kept its keys in a file: issue keys, regenerate over it.
      console.log('The demo project has no stored keys (an older version): issuing new ones.');
      await db.deleteFrom('api_keys').where('project_id', '=', DEMO_PROJECT_ID).execute();
    }
    console.log(`Generating demo data: ${options.accounts} accounts over ${options.days} days.`);
    generation = await startDemoGeneration(db, options);
  } else if (generation.finished_at === null) {
    console.log(
      `The demo data generation started at ${generation.started_at.toISOString()} was interrupted; ` +
        'resuming it (events already written are skipped).',
    );
  }
  if (generation.finished_at === null) {
    const summary = await seedDemoData(app, DEMO_PROJECT_ID, {
      accounts: generation.accounts,
      days: generation.days,
      end: generation.window_end,
    });
    await finishDemoGeneration(db);
    console.log(summary);
  }
  // The embedded database has no autovacuum: without this the demo's first queries are planned
  // from guesses (see planner-statistics.ts).
  if (app.services.engine === 'pglite' && (await analyzeIfNeverAnalyzed(db))) {
    console.log('Gathered planner statistics for the embedded database.');
  }
  const keys = await workingDemoKeys(db, generation);

  const demoUser = await ensureDemoUser(db, generation);

  await app.listen({ port: config.PORT, host: config.HOST });
  const url = `http://localhost:${config.PORT}`;
  console.log(`
Tenure is running at ${url}  (database: ${app.services.engine === 'pglite' ? `embedded, ${config.TENURE_DATA_DIR}` : 'Postgres'})

Workspace:     ${url}/
  sign in:     ${demoUser.email} / ${demoUser.password}

  project:     ${DEMO_PROJECT_ID}
  write key:   ${keys.write_key}
  secret key:  ${keys.secret_key}
  admin token: ${adminToken}

Send an event:
  curl -u ${keys.write_key}: ${url}/v1/track -H 'content-type: application/json' \\
    -d '{"userId":"u1","event":"login","context":{"groupId":"acme"}}'

Ask for the riskiest accounts:
  curl -H 'authorization: Bearer ${keys.secret_key}' '${url}/v1/accounts?sort=risk&limit=5'

API docs: ${url}/openapi.json   Metrics: ${url}/metrics   Stop: Ctrl+C
`);
}
