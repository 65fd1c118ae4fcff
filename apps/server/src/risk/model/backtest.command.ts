import { parseArgs } from 'node:util';
import { createProject } from '../../admin/projects.js';
import { ConfigError } from '../../config/config.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openDatabase } from '../../db/open-database.js';
import { BatchWriter } from '../../ingest/batch-writer.js';
import { seedProject } from '../../seed/seed-project.js';
import { DEFAULT_FACTORS } from '../factors/default-factors.js';
import type { ModelMetrics } from './evaluate-models.js';
import { trainModel } from './train-model.js';

function option(values: Record<string, string | undefined>, name: string, fallback: number) {
  const value = values[name];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new ConfigError(`--${name} must be a positive integer`);
  }
  return number;
}

const fixed = (value: number | null, digits = 3) =>
  value === null ? 'n/a' : value.toFixed(digits);
const day = (iso: string) => iso.slice(0, 10);

function metricsLine(name: string, metrics: ModelMetrics) {
  return `  ${name.padEnd(8)} AUC ${fixed(metrics.auc)}   precision@10% ${fixed(metrics.precisionAt10)}`;
}

/**
 * `tenure backtest [--accounts 300] [--days 270] [--seed 1] [--horizon 60]`: generates accounts
 * into an in-memory database through the real ingest path, trains the churn model on snapshots
 * before a split and prints the held-out AUC and precision at the top 10% of the default and
 * the learned model, with calibration and the weights side by side.
 */
export async function backtestCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      accounts: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      horizon: { type: 'string' },
    },
  });
  const generate = {
    accounts: option(values, 'accounts', 300),
    days: option(values, 'days', 270),
    seed: option(values, 'seed', 1),
  };
  const horizonDays = option(values, 'horizon', 60);
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
        `${seeded.decaying} on the decay path`,
    );
    const started = performance.now();
    const { model, report } = await trainModel(database.db, projectId, { horizonDays });
    const { training, evaluation } = report;
    console.log(`
Backtest (label: cancelled within ${horizonDays} days of a snapshot; trained in ${((performance.now() - started) / 1000).toFixed(1)} s)
  training:  ${training.snapshots.length} weekly snapshots ${day(training.snapshots[0]!)} .. ${day(training.snapshots.at(-1)!)}, ${training.rows} account-snapshots, ${training.churned} churned
  held out:  ${evaluation.snapshots.length} weekly snapshots ${day(evaluation.snapshots[0]!)} .. ${day(evaluation.snapshots.at(-1)!)}, ${evaluation.rows} account-snapshots, ${evaluation.churned} churned
  (every training label was known by ${day(report.splitAt)}, the first held-out snapshot)

Held-out results (base rate ${fixed(evaluation.churned / evaluation.rows)}):
${metricsLine('default', report.default)}
${metricsLine('learned', report.learned)}
  ${report.decision}

Calibration, held-out deciles (predicted vs observed churn rate):
  bin   default pred/obs    learned pred/obs`);
    for (const [i, bin] of report.default.calibration.entries()) {
      const learned = report.learned.calibration[i];
      console.log(
        `  ${String(bin.bin).padStart(3)}   ${fixed(bin.predicted)} / ${fixed(bin.observed)}    ${fixed(learned?.predicted ?? null)} / ${fixed(learned?.observed ?? null)}`,
      );
    }
    console.log(`
Weights (points at full severity):
  factor                       default   learned
${weightTable(model.weights.points)}`);
  } finally {
    await database.close();
  }
}

/** Factor weights of both models, for the record (points at full severity). */
function weightTable(points: Record<string, number>): string {
  return DEFAULT_FACTORS.map(
    ({ key, weight }) =>
      `  ${key.padEnd(28)} ${String(weight).padStart(5)}   ${fixed(points[key] ?? null, 1).padStart(7)}`,
  ).join('\n');
}
