import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { trainModel } from '../risk/model/train-model.js';
import { progressReporter } from '../risk/model/training-progress.js';
import type { Command } from './command.js';

const fixed = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));

/**
 * `tenure model train --project P [--as-of T] [--horizon 60]`: learns the project's churn model
 * from its history as of T (default now) in the configured database, with a progress bar, and
 * stores the run; it becomes the model for answers as of T and later when it beats the defaults.
 */
async function trainModelCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      'as-of': { type: 'string' },
      horizon: { type: 'string' },
    },
  });
  if (!values.project) throw new ConfigError('--project is required');
  const asOf = values['as-of'] === undefined ? undefined : new Date(Date.parse(values['as-of']));
  if (asOf && Number.isNaN(asOf.getTime())) {
    throw new ConfigError('--as-of must be an ISO-8601 date or timestamp');
  }
  const horizonDays = values.horizon === undefined ? 60 : Number(values.horizon);
  if (!Number.isInteger(horizonDays) || horizonDays < 7 || horizonDays > 365) {
    throw new ConfigError('--horizon must be a whole number of days from 7 to 365');
  }
  const config = loadConfig(process.env);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.TENURE_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  try {
    const migration = await migrateToLatest(database.db);
    if (migration.error) throw migration.error;
    const { stored, report } = await trainModel(database.db, values.project, {
      asOf,
      horizonDays,
      onProgress: progressReporter(process.stderr),
    });
    console.log(
      `Model ${stored?.id} trained as of ${report.asOf} in ${(report.durationMs / 1000).toFixed(1)} s ` +
        `(${report.training.rows} account-snapshots, ${report.training.churned} churned).\n` +
        `Held out: AUC learned ${fixed(report.learned.auc)}, default ${fixed(report.default.auc)}, ` +
        `recency ${fixed(report.recency.auc)}; Brier ${fixed(report.learned.brier)}.\n${report.decision}`,
    );
  } finally {
    await database.close();
  }
}

export const modelTrainCommand: Command = {
  name: 'model train',
  summary: "Learn a project's churn model from its history as of a time",
  usage: `Usage: tenure model train --project P [--as-of T] [--horizon H]

Learns the project's churn model from its own history as of T (default now) in the configured
database (DATABASE_URL, or the embedded one), with a progress bar, and stores the run. It answers
risk for T and later when it beats the default weights on the held-out weeks; the run's report
says why when it does not. See docs/risk.md.
  --project P    The project to train
  --as-of T      Use only what was known at this ISO-8601 date or time (now)
  --horizon H    Days after a snapshot in which a cancellation counts as churn (60, 7 to 365)`,
  options: {
    project: { type: 'string' },
    'as-of': { type: 'string' },
    horizon: { type: 'string' },
  },
  run: (args) => trainModelCommand(args),
};
