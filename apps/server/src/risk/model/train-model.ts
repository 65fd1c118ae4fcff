import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.types.js';
import { AppError } from '../../errors/app-error.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { FACTOR_KEYS } from '../factors/default-factors.js';
import { compareModels } from './evaluate-models.js';
import { type LabelledRow, labelledRows } from './labelled-rows.js';
import { type StoredModel, saveTraining } from './model-store.sql.js';
import { defaultWeights, withMultipliers } from './model-weights.js';
import { trainingPlan } from './training-plan.js';
import type { SampleSummary, StoredLearnedWeights, TrainingReport } from './training-report.js';

export interface TrainOptions {
  /** Train as of this time (default now): no data after it is used. */
  asOf?: Date | undefined;
  /** Churn within this many days of a snapshot is the label (default 60). */
  horizonDays?: number | undefined;
}

// Below these counts AUC and calibration are noise: refuse rather than adopt a coin flip.
const MIN_TRAINING_CLASS = 10;
const MIN_EVALUATION_CLASS = 5;
const PLAN = { stepDays: 7, evaluationSnapshots: 3, minHistoryDays: 56, maxTrainingSnapshots: 16 };

function summary(rows: LabelledRow[], snapshots: Date[]): SampleSummary {
  return {
    snapshots: snapshots.map((time) => time.toISOString()),
    rows: rows.length,
    churned: rows.filter((row) => row.label === 1).length,
  };
}

const byKey = (values: number[]) =>
  Object.fromEntries(FACTOR_KEYS.map((key, j) => [key, Math.round(values[j]! * 1e4) / 1e4]));

function requireHistory(training: SampleSummary, evaluation: SampleSummary, horizonDays: number) {
  const enough =
    training.churned >= MIN_TRAINING_CLASS &&
    training.rows - training.churned >= MIN_TRAINING_CLASS &&
    evaluation.churned >= MIN_EVALUATION_CLASS &&
    evaluation.rows - evaluation.churned >= MIN_EVALUATION_CLASS;
  if (enough) return;
  throw new AppError('insufficient_history', {
    message:
      `Training needs at least ${MIN_TRAINING_CLASS} churned and ${MIN_TRAINING_CLASS} retained ` +
      `account snapshots before the held-out window and ${MIN_EVALUATION_CLASS} of each in it, ` +
      `with a ${horizonDays}-day horizon; found ${training.churned} churned of ${training.rows} ` +
      `and ${evaluation.churned} churned of ${evaluation.rows}`,
    details: { horizonDays, training, evaluation },
  });
}

/**
 * Self-calibration: fits a logistic model of churn on point-in-time factor severities from
 * snapshots before a split, evaluates it and the default model on a later held-out window, and
 * stores the run. The learned weights are adopted only when their held-out AUC beats the
 * default's. Throws `insufficient_history` (422) when there are too few labelled accounts.
 *
 * @example
 * const { report } = await trainModel(db, projectId, { horizonDays: 60 });
 * report.learned.auc; // e.g. 0.86
 */
export async function trainModel(
  db: DbOrTx,
  projectId: string,
  options: TrainOptions = {},
): Promise<{ model: StoredModel; report: TrainingReport }> {
  const end = options.asOf ?? new Date();
  const horizonDays = options.horizonDays ?? 60;
  const settings = await getProjectSettings(db, projectId);
  const start = await sql<{ first: Date | string | null }>`
    select min(first_seen) as first from accounts where project_id = ${projectId}`.execute(db);
  const first = start.rows[0]?.first;
  const plan = trainingPlan({
    ...PLAN,
    end,
    dataStart: first ? new Date(first) : end,
    horizonDays,
  });
  const training = await labelledRows(db, projectId, plan.training, horizonDays, settings);
  const evaluation = await labelledRows(db, projectId, plan.evaluation, horizonDays, settings);
  const trainingSummary = summary(training, plan.training);
  const evaluationSummary = summary(evaluation, plan.evaluation);
  requireHistory(trainingSummary, evaluationSummary, horizonDays);

  const defaults = withMultipliers(defaultWeights(), settings.factorWeights);
  const comparison = compareModels(
    training,
    evaluation,
    FACTOR_KEYS.map((key) => defaults.points[key] ?? 0),
  );
  const { learned, learnedMetrics, defaultMetrics, adopted } = comparison;
  const auc = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  const report: TrainingReport = {
    trainedAt: new Date().toISOString(),
    horizonDays,
    splitAt: plan.splitAt.toISOString(),
    training: trainingSummary,
    evaluation: evaluationSummary,
    default: defaultMetrics,
    learned: learnedMetrics,
    adopted,
    decision: adopted
      ? `Learned weights adopted: held-out AUC ${auc(learnedMetrics.auc)} vs ${auc(defaultMetrics.auc)} for the default model`
      : `Default weights kept: held-out AUC ${auc(defaultMetrics.auc)} vs ${auc(learnedMetrics.auc)} for the learned model`,
  };
  const weights: StoredLearnedWeights = {
    kind: 'learned',
    points: byKey(learned.points),
    baseLogit: learned.baseLogit,
    pointsPerLogit: learned.pointsPerLogit,
    coefficients: byKey(learned.coefficients),
    means: byKey(learned.means),
    scales: byKey(learned.scales),
  };
  const model = await saveTraining(db, projectId, weights, report);
  return { model, report };
}
