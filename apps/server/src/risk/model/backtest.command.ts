import { parseArgs } from 'node:util';
import { createProject } from '../../admin/projects.js';
import { ConfigError, loadConfig } from '../../config/config.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openDatabase } from '../../db/open-database.js';
import { BatchWriter } from '../../ingest/batch-writer.js';
import { seedProject } from '../../seed/seed-project.js';
import { DAY_MS } from '../../time/utc-day.js';
import { backtestProject } from './backtest.js';
import { backtestTable } from './backtest-table.js';
import { progressReporter } from './training-progress.js';

function option(values: Record<string, string | undefined>, name: string, fallback: number) {
  const value = values[name];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new ConfigError(`--${name} must be a positive integer`);
  }
  return number;
}

function asOfOption(value: string | undefined): Date {
  const date = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(date)) throw new ConfigError('--as-of must be an ISO-8601 date or timestamp');
  return new Date(date);
}

/**
 * `tenure backtest --project P --as-of T [--horizon 60]`: trains as of T on the project in the
 * configured database (nothing is stored), scores every account active at T and compares with
 * what happened in the horizon after it. Without `--project`, generates accounts into an
 * in-memory database and backtests as of a horizon before their last day.
 */
export async function backtestCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      accounts: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      horizon: { type: 'string' },
      project: { type: 'string' },
      'as-of': { type: 'string' },
    },
  });
  const horizonDays = option(values, 'horizon', 60);
  if (values.project) {
    const config = loadConfig(process.env);
    const database = await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.TENURE_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    });
    try {
      const report = await backtestProject(database.db, values.project, {
        asOf: asOfOption(values['as-of']),
        horizonDays,
        onProgress: progressReporter(process.stderr),
      });
      console.log(backtestTable(report));
    } finally {
      await database.close();
    }
    return;
  }
  const generate = {
    accounts: option(values, 'accounts', 300),
    days: option(values, 'days', 270),
    seed: option(values, 'seed', 1),
  };
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const migration = await migrateToLatest(database.db);
    if (migration.error) throw migration.error;
    const { projectId } = await createProject(database.db, { name: 'Backtest' });
    const writer = new BatchWriter(database.db, {
      queueLimit: 1_000_000,
      flushEvents: 5_000,
      concurrency: 1,
    });
    console.log(
      `Generating ${generate.accounts} accounts over ${generate.days} days (seed ${generate.seed})...`,
    );
    const seeded = await seedProject(writer, projectId, generate);
    await writer.close();
    console.log(
      `  ${seeded.accepted} events in ${seeded.seconds} s; ${seeded.cancelled} accounts cancelled, ` +
        `${seeded.decaying} on the decay path\n`,
    );
    const asOf = values['as-of']
      ? asOfOption(values['as-of'])
      : new Date(Math.floor(Date.now() / DAY_MS - horizonDays - 1) * DAY_MS);
    const report = await backtestProject(database.db, projectId, {
      asOf,
      horizonDays,
      onProgress: progressReporter(process.stderr),
    });
    console.log(backtestTable(report));
  } finally {
    await database.close();
  }
}
