#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createProject } from './admin/projects.js';
import { buildApp } from './app.js';
import { importCommand } from './commands/import.command.js';
import { ConfigError, loadConfig } from './config/config.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { startDemo } from './demo/start-demo.js';
import { ImportError } from './import/import-error.js';
import { backtestCommand } from './risk/model/backtest.command.js';
import { seedCommand } from './seed/seed.command.js';

const USAGE = `Usage: tenure <command> [options]

Commands:
  serve                               Start the server (PORT, DATABASE_URL, ... from the environment)
  demo                                Start the server with a demo project and demo data
  migrate                             Bring the database schema up to date
  project create --name N [--json]    Create a project and print its keys
  seed --accounts N --days D [--project ID] [--seed S]
                                      Generate realistic accounts into a project (a new one by default)
  import FILE… --project P | --url U --key K [--format F] [--map SRC=DST]…
                                      Import history (Segment, Mixpanel, Amplitude, CSV; docs/import.md)
  import stripe --project P           Backfill subscriptions from Stripe (STRIPE_API_KEY)
  backtest [--accounts N] [--days D] [--seed S] [--horizon H]
                                      Backtest the churn model on generated data (in memory)

Without DATABASE_URL, Tenure uses the embedded database in TENURE_DATA_DIR (.tenure-data).`;

async function openFromEnv() {
  const config = loadConfig(process.env);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.TENURE_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  return { config, database };
}

async function serve() {
  const config = loadConfig(process.env);
  const app = await buildApp({ config, logger: { level: config.LOG_LEVEL } });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down: flushing the writer');
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.PORT, host: config.HOST });
}

async function migrate() {
  const { database } = await openFromEnv();
  const result = await migrateToLatest(database.db);
  for (const step of result.results ?? []) console.log(`${step.status}: ${step.migrationName}`);
  await database.close();
  if (result.error) throw result.error;
  console.log('Schema is up to date.');
}

async function createProjectCommand(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.name) throw new ConfigError('project create needs --name');
  const { database } = await openFromEnv();
  await migrateToLatest(database.db);
  const credentials = await createProject(database.db, { name: values.name });
  await database.close();
  if (values.json) console.log(JSON.stringify(credentials));
  else {
    console.log(`Project ${credentials.projectId} created. Keys are shown once:`);
    console.log(`  write key:  ${credentials.writeKey}`);
    console.log(`  secret key: ${credentials.secretKey}`);
  }
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve();
  if (command === 'demo') return startDemo(loadConfig(process.env));
  if (command === 'migrate') return migrate();
  if (command === 'project' && rest[0] === 'create') return createProjectCommand(rest.slice(1));
  if (command === 'seed') return seedCommand(rest);
  if (command === 'backtest') return backtestCommand(rest);
  if (command === 'import') return importCommand(rest);
  console.log(USAGE);
  if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof ImportError ? error.message : error,
  );
  process.exit(1);
});
