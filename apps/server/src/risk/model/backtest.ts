import { sql } from 'kysely';
import type { Db } from '../../db/database.types.js';
import { AppError } from '../../errors/app-error.js';
import { DAY_MS } from '../../time/utc-day.js';
import { scoreWith, scoringInputs } from '../score-accounts.js';
import { churnedWithin, churnTimes } from './churn-times.sql.js';
import { type ModelMetrics, metricsOf, plattProbabilities } from './evaluate-models.js';
import { checkedAsOf, type TrainingProgress, trainModel } from './train-model.js';
import type { TrainingReport } from './training-report.js';

export interface BacktestPrediction {
  accountId: string;
  /** The learned model's calibrated churn probability as of `asOf`. */
  churnProbability: number;
  score: number;
  defaultScore: number;
  daysSinceLastLogin: number | null;
  /** Whether it cancelled in (asOf, asOf + horizon]. */
  churned: boolean;
}

export interface BacktestReport {
  asOf: string;
  horizonDays: number;
  /** Accounts active at `asOf`, and how many of them cancelled within the horizon. */
  accounts: number;
  churned: number;
  learned: ModelMetrics;
  default: ModelMetrics;
  recency: ModelMetrics;
  /** The model trained as of `asOf` (not stored) and its own held-out report. */
  training: TrainingReport;
  durationMs: number;
  predictions?: BacktestPrediction[];
}

export interface BacktestOptions {
  asOf: Date;
  horizonDays: number;
  includePredictions?: boolean | undefined;
  onProgress?:
    | ((progress: TrainingProgress | { step: 'scoring'; done: number; total: number }) => void)
    | undefined;
}

/** The latest activity the project holds: what happened after it is not known yet. */
async function dataEnd(db: Db, projectId: string): Promise<Date | null> {
  const result = await sql<{ last: Date | string | null }>`
    select max(last_seen) as last from accounts where project_id = ${projectId}`.execute(db);
  const last = result.rows[0]?.last;
  return last ? new Date(last) : null;
}

/**
 * Checks the model on the project's own data: trains as of `asOf` (using only what was known
 * then), scores every account active at `asOf` with the learned model, the default model and
 * recency alone, and compares each with what happened in `(asOf, asOf + horizon]`. Refuses a
 * horizon that ends after the project's data (the outcome is not known yet).
 *
 * @example
 * const report = await backtestProject(db, projectId, { asOf: new Date('2026-03-01'), horizonDays: 60 });
 * report.learned.auc; // e.g. 0.68
 */
export async function backtestProject(
  db: Db,
  projectId: string,
  options: BacktestOptions,
): Promise<BacktestReport> {
  const started = Date.now();
  const { asOf } = await checkedAsOf(db, projectId, options.asOf);
  const end = await dataEnd(db, projectId);
  const horizonEnd = new Date(asOf.getTime() + options.horizonDays * DAY_MS);
  if (end === null || horizonEnd.getTime() > end.getTime()) {
    throw new AppError('horizon_beyond_data', {
      message:
        `asOf + ${options.horizonDays} days is ${horizonEnd.toISOString()}, after the project's ` +
        `latest activity (${end?.toISOString() ?? 'none'}): what happened then is not known yet`,
      details: {
        asOf: asOf.toISOString(),
        horizonEnd: horizonEnd.toISOString(),
        dataEnd: end?.toISOString() ?? null,
      },
    });
  }
  const training = await trainModel(db, projectId, {
    asOf,
    horizonDays: options.horizonDays,
    save: false,
    onProgress: options.onProgress,
  });
  options.onProgress?.({ step: 'scoring', done: 0, total: 1 });
  const inputs = await scoringInputs(db, projectId, asOf);
  const [learned, defaults, churn] = await Promise.all([
    scoreWith(db, projectId, inputs, training.model),
    scoreWith(db, projectId, inputs, null),
    churnTimes(db, projectId, horizonEnd),
  ]);
  options.onProgress?.({ step: 'scoring', done: 1, total: 1 });
  const predictions: BacktestPrediction[] = learned.map(({ features, risk }, index) => ({
    accountId: features.accountId,
    churnProbability: risk.churnProbability ?? 0,
    score: risk.score,
    defaultScore: defaults[index]!.risk.score,
    daysSinceLastLogin: features.daysSinceLastLogin,
    churned: churnedWithin(churn.get(features.accountId), asOf, options.horizonDays),
  }));
  const labels = predictions.map((row): number => (row.churned ? 1 : 0));
  const defaultScores = predictions.map((row) => row.defaultScore);
  // Never logged in counts as long ago as the account is old, as in the model's inputs.
  const recency = learned.map(({ features }) => features.daysSinceLastLogin ?? features.tenureDays);
  return {
    asOf: asOf.toISOString(),
    horizonDays: options.horizonDays,
    accounts: predictions.length,
    churned: labels.reduce((sum, label) => sum + label, 0),
    learned: metricsOf(
      predictions.map((row) => row.churnProbability),
      predictions.map((row) => row.churnProbability),
      labels,
    ),
    default: metricsOf(defaultScores, plattProbabilities(defaultScores, labels), labels),
    recency: metricsOf(recency, plattProbabilities(recency, labels), labels),
    training: training.report,
    durationMs: Date.now() - started,
    ...(options.includePredictions ? { predictions } : {}),
  };
}
