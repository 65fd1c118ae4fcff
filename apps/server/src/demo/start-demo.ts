import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { Config } from '../config/config.js';
import { analyzeGrownTables } from '../db/planner-statistics.js';
import type { DemoGeneration } from '../db/tables/demo-generations.table.js';
import { DEMO_DATA_HEADER, DemoDataStatus } from './demo-data-status.js';
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
 * prints its own working keys.
 *
 * The server answers as soon as the database is migrated and the demo project, its keys and
 * its sign-in exist; the data is generated after that, in this process, with progress lines.
 * Until it is complete every answer carries a `Tenure-Demo-Data` header saying so. A generation
 * interrupted before it finished (Ctrl+C, a kill) is resumed over the same window on the next
 * start (the events already written are skipped by their message ids).
 */
export async function startDemo(config: Config, options: DemoOptions) {
  const adminToken = config.TENURE_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const app = await buildApp({
    config: { ...config, TENURE_ADMIN_TOKEN: adminToken },
    logger: { level: 'warn' },
  });
  const { db } = app.services;
  const status = new DemoDataStatus();
  app.addHook('onSend', async (_request, reply) => {
    if (status.header) reply.header(DEMO_DATA_HEADER, status.header);
  });
  const generating = new AbortController();
  let background: Promise<void> = Promise.resolve();
  // The generation stops between accounts or steps and the writer flushes before the database
  // closes, so a Ctrl+C leaves nothing half-written that a resumed start could not finish.
  const stop = () => {
    generating.abort(new Error('the server is stopping'));
    void background.then(() => app.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let generation = await findDemoGeneration(db);
  let resuming = false;
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
    generation = await startDemoGeneration(db, options);
  } else if (generation.finished_at === null) {
    resuming = true;
  }
  const incomplete = generation.finished_at === null;
  if (incomplete) status.accounts(0, generation.accounts);
  else await gatherStatistics(app);
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
  if (!incomplete) return;

  if (resuming) {
    console.log(
      `The demo data generation started at ${generation.started_at.toISOString()} was interrupted; ` +
        'resuming it (events already written are skipped).',
    );
  } else {
    console.log(
      `Generating demo data: ${generation.accounts} accounts over ${generation.days} days.`,
    );
  }
  console.log(
    'The server answers meanwhile, from the part written so far: until the data is complete, ' +
      `every answer carries a Tenure-Demo-Data header ("${status.header}").`,
  );
  background = generateInBackground(app, generation, status, generating.signal);
}

/**
 * The embedded database has no autovacuum: without statistics gathered once over the demo's
 * data, its queries are planned from guesses (see planner-statistics.ts).
 */
async function gatherStatistics(app: FastifyInstance): Promise<void> {
  if (app.services.engine === 'pglite' && (await analyzeGrownTables(app.services.db)).length > 0) {
    console.log('Gathered planner statistics for the embedded database.');
  }
}

/** The demo's data, written while the server answers; a failure is reported, not fatal. */
async function generateInBackground(
  app: FastifyInstance,
  generation: DemoGeneration,
  status: DemoDataStatus,
  signal: AbortSignal,
): Promise<void> {
  try {
    const summary = await seedDemoData(app, DEMO_PROJECT_ID, {
      accounts: generation.accounts,
      days: generation.days,
      end: generation.window_end,
      status,
      signal,
    });
    await finishDemoGeneration(app.services.db);
    await gatherStatistics(app);
    console.log(summary);
    console.log('The demo data is complete.');
    status.complete();
  } catch (error) {
    if (signal.aborted) {
      console.log('Demo data generation stopped; the next start resumes it.');
      return;
    }
    status.failed();
    console.error(
      'The demo data generation failed; the server keeps answering with the part written. ' +
        'Start the demo again to resume it.',
      error,
    );
  }
}
