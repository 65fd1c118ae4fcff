import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/config.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openDatabase } from '../../db/open-database.js';
import { trainModel } from './train-model.js';
import { progressReporter } from './training-progress.js';

const fixed = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));

/**
 * `tenure model train --project P [--as-of T] [--horizon 60]`: learns the project's churn model
 * from its history as of T (default now) in the configured database, with a progress bar, and
 * stores the run; it becomes the model for answers as of T and later when it beats the defaults.
 */
export async function modelTrainCommand(args: string[]): Promise<void> {
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
