import { parseArgs } from 'node:util';
import { createProject } from '../admin/projects.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { BatchWriter } from '../ingest/batch-writer.js';
import { backtestProject } from '../risk/model/backtest.js';
import { backtestTable } from '../risk/model/backtest-table.js';
import { progressReporter } from '../risk/model/training-progress.js';
import { seedProject } from '../seed/seed-project.js';
import { DAY_MS } from '../time/utc-day.js';
import type { Command } from './command.js';

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
async function backtestModel(args: string[]): Promise<void> {
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
    // Training as of a horizon before the end needs a horizon of labelled weeks before that.
    days: option(values, 'days', 420),
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

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Check the churn model against what happened: a project as of a time, or generated data',
  usage: `Usage: tenure backtest --project P --as-of T [--horizon H]
       tenure backtest [--accounts N] [--days D] [--seed S] [--horizon H]

With --project: trains the churn model as of T on that project in the configured database
(DATABASE_URL, or the embedded one; nothing is stored), scores every account active at T with
the learned model, the default weights and recency alone, and compares each with who cancelled
in the H days after T: AUC, precision and lift at the top 10%, Brier score, calibration. T + H
must not be after the project's latest activity.
Without --project: generates accounts into an in-memory database and does the same as of H
days before their last day. Touches no configured database.
  --project P    The project to backtest
  --as-of T      Train and score as of this ISO-8601 date or time
  --horizon H    Days after T in which a cancellation counts as churn (60)
  --accounts N   Accounts to generate (300)
  --days D       Days of history to generate (420)
  --seed S       Random seed of the generated data (1)`,
  options: {
    accounts: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    horizon: { type: 'string' },
    project: { type: 'string' },
    'as-of': { type: 'string' },
  },
  run: (args) => backtestModel(args),
};
