import { sql } from 'kysely';
import type { Db } from '../../db/database.types.js';
import { AppError } from '../../errors/app-error.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { FACTOR_KEYS } from '../factors/default-factors.js';
import type { AdditiveModel } from './additive-model.js';
import { churnTimes } from './churn-times.sql.js';
import { metricsOf, plattProbabilities } from './evaluate-models.js';
import { labelledRows } from './labelled-rows.js';
import { type LabelledModelRow, learnAdditiveModel } from './learn-additive-model.js';
import { INPUTS } from './model-inputs.js';
import { featureBitsOf } from './model-inputs.sql.js';
import { type StoredModel, saveTraining } from './model-store.sql.js';
import { defaultWeights, withMultipliers } from './model-weights.js';
import { seasonWeights } from './season-weights.js';
import { snapshotRows } from './snapshot-rows.js';
import { trainingPlan } from './training-plan.js';
import type { SampleSummary, TrainingReport } from './training-report.js';

export interface TrainingProgress {
  step: 'snapshots' | 'activity' | 'fitting' | 'evaluating';
  done: number;
  total: number;
}

export interface TrainOptions {
  /** Train as of this time (default now): no feature or label comes from after it. */
  asOf?: Date | undefined;
  /** Churn within this many days of a snapshot is the label (default 60). */
  horizonDays?: number | undefined;
  /** Store the run (default true; a backtest trains without storing). */
  save?: boolean | undefined;
  onProgress?: ((progress: TrainingProgress) => void) | undefined;
}

export interface TrainingResult {
  /** The stored run, null when not saved. */
  stored: StoredModel | null;
  model: AdditiveModel;
  report: TrainingReport;
}

// Below these counts AUC and calibration are noise: refuse rather than adopt a coin flip.
const MIN_TRAINING_CLASS = 10;
const MIN_EVALUATION_CLASS = 5;
/**
 * Weekly snapshots for up to two years, the last six held out. Retained rows beyond 40,000 are
 * sampled: they are alike, and the fit's cost grows with rows.
 */
const PLAN = { stepDays: 7, evaluationSnapshots: 6, minHistoryDays: 28, maxTrainingSnapshots: 104 };
const MAX_RETAINED_ROWS = 40_000;
export const HORIZON_DAYS = { min: 7, max: 365, default: 60 };

function summary(rows: { label: number }[], snapshots: Date[]): SampleSummary {
  return {
    snapshots: snapshots.map((time) => time.toISOString()),
    rows: rows.length,
    churned: rows.filter((row) => row.label === 1).length,
  };
}

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

/** The time a training or backtest reads up to, checked against the clock and the data. */
export async function checkedAsOf(db: Db, projectId: string, asOf: Date | undefined) {
  const now = new Date();
  const at = asOf ?? now;
  if (at.getTime() > now.getTime() + 60_000) {
    throw new AppError('as_of_in_future', {
      message: `asOf ${at.toISOString()} is in the future; a model can only learn from the past`,
    });
  }
  const first = await sql<{ first: Date | string | null }>`
    select min(first_seen) as first from accounts where project_id = ${projectId}`.execute(db);
  const dataStart = first.rows[0]?.first ? new Date(first.rows[0].first) : null;
  if (dataStart === null) {
    throw new AppError('insufficient_history', { message: 'The project has no accounts yet' });
  }
  if (dataStart.getTime() > at.getTime()) {
    throw new AppError('no_data_before_as_of', {
      message: `The project's data starts at ${dataStart.toISOString()}, after asOf ${at.toISOString()}`,
    });
  }
  return { asOf: at, dataStart };
}

const key = (row: { accountId: string; snapshot: number }) => `${row.snapshot}|${row.accountId}`;
const days = (iso: string) => iso.slice(0, 10);

/**
 * Learns a churn model from the project's own history as of `asOf`: weekly point-in-time
 * snapshots of every active account, labelled by cancellation within the horizon where that
 * horizon ended before `asOf`. The additive learner picks its penalty on the latest snapshots
 * (held out) and is calibrated there; on the same held-out rows the default model and recency
 * alone are scored too. The run is adopted when its held-out AUC beats the default model's.
 * Throws `insufficient_history` (422) with too few churned or retained snapshots.
 *
 * @example
 * const { report } = await trainModel(db, projectId, { asOf: new Date('2026-06-01'), horizonDays: 60 });
 * report.learned.auc; // e.g. 0.71
 */
export async function trainModel(
  db: Db,
  projectId: string,
  options: TrainOptions = {},
): Promise<TrainingResult> {
  const started = Date.now();
  const horizonDays = options.horizonDays ?? HORIZON_DAYS.default;
  const { asOf, dataStart } = await checkedAsOf(db, projectId, options.asOf);
  const settings = await getProjectSettings(db, projectId);
  const plan = trainingPlan({ ...PLAN, end: asOf, dataStart, horizonDays });
  const [churn, features] = await Promise.all([
    churnTimes(db, projectId, asOf),
    featureBitsOf(db, projectId, asOf),
  ]);
  const progress = (step: TrainingProgress['step'], done: number, total: number) =>
    options.onProgress?.({ step, done, total });
  const rows = await snapshotRows(db, projectId, {
    times: [...plan.training, ...plan.evaluation],
    horizonDays,
    churn,
    features,
    maxRetainedRows: MAX_RETAINED_ROWS,
    sampleBefore: plan.splitAt.getTime(),
    onProgress: (step, done, total) => progress(step as TrainingProgress['step'], done, total),
  });
  const split = plan.splitAt.getTime();
  const trainingRows = rows.filter((row) => row.snapshot < split);
  const evaluationRows = rows.filter((row) => row.snapshot >= split);
  const trainingSummary = summary(trainingRows, plan.training);
  const evaluationSummary = summary(evaluationRows, plan.evaluation);
  trainingSummary.rows = Math.round(trainingRows.reduce((sum, row) => sum + row.weight, 0));
  requireHistory(trainingSummary, evaluationSummary, horizonDays);

  const weigh = seasonWeights(
    rows.map((row) => row.snapshot),
    asOf.getTime(),
  );
  if (weigh) for (const row of rows) row.weight *= weigh(row.snapshot);

  progress('fitting', 0, 1);
  const learned = learnAdditiveModel(rows, {
    horizonDays,
    features,
    heldOut: { from: split, to: plan.evaluation.at(-1)?.getTime() ?? split },
  });
  progress('fitting', 1, 1);

  progress('evaluating', 0, 1);
  const comparison = await heldOutComparison(db, projectId, {
    heldOut: learned.heldOut,
    times: plan.evaluation,
    horizonDays,
    churn,
    settings,
  });
  progress('evaluating', 1, 1);
  const adopted =
    comparison.learned.auc !== null &&
    comparison.default.auc !== null &&
    comparison.learned.auc > comparison.default.auc;
  const auc = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  const report: TrainingReport = {
    trainedAt: new Date().toISOString(),
    asOf: asOf.toISOString(),
    horizonDays,
    splitAt: plan.splitAt.toISOString(),
    training: trainingSummary,
    evaluation: evaluationSummary,
    ...comparison,
    penalties: learned.penalties,
    seasonWeighting: weigh !== null,
    adopted,
    decision: adopted
      ? `Learned model adopted (as of ${days(asOf.toISOString())}): held-out AUC ` +
        `${auc(comparison.learned.auc)} vs ${auc(comparison.default.auc)} for the default model`
      : `Default model kept: the learned model's held-out AUC ${auc(comparison.learned.auc)} ` +
        `did not beat the default model's ${auc(comparison.default.auc)}`,
    durationMs: Date.now() - started,
  };
  const stored =
    options.save === false ? null : await saveTraining(db, projectId, learned.model, report);
  return { stored, model: learned.model, report };
}

/**
 * The three models on the same held-out rows: the learned one (fitted before the split), the
 * default points (their severities read as of each held-out snapshot) and days since the last
 * login alone.
 */
async function heldOutComparison(
  db: Db,
  projectId: string,
  input: {
    heldOut: { rows: LabelledModelRow[]; probabilities: number[] };
    times: Date[];
    horizonDays: number;
    churn: Map<string, number[]>;
    settings: Awaited<ReturnType<typeof getProjectSettings>>;
  },
) {
  const defaults = withMultipliers(defaultWeights(), input.settings.factorWeights);
  const points = FACTOR_KEYS.map((factor) => defaults.points[factor] ?? 0);
  const severityRows = await labelledRows(
    db,
    projectId,
    input.times,
    input.horizonDays,
    input.settings,
    input.churn,
  );
  const defaultScore = new Map(
    severityRows.map((row) => [
      `${Date.parse(row.snapshot)}|${row.accountId}`,
      Math.min(
        100,
        Math.max(
          0,
          row.severities.reduce((sum, s, j) => sum + s * points[j]!, 0),
        ),
      ),
    ]),
  );
  const recencyIndex = INPUTS.findIndex((input) => input.name === 'days_since_last_login');
  const labels: number[] = [];
  const learnedProbabilities: number[] = [];
  const defaultScores: number[] = [];
  const recency: number[] = [];
  input.heldOut.rows.forEach((row, i) => {
    const score = defaultScore.get(key(row));
    if (score === undefined) return;
    labels.push(row.label);
    learnedProbabilities.push(input.heldOut.probabilities[i]!);
    defaultScores.push(score);
    recency.push(row.inputs[recencyIndex]!);
  });
  return {
    learned: metricsOf(learnedProbabilities, learnedProbabilities, labels),
    default: metricsOf(defaultScores, plattProbabilities(defaultScores, labels), labels),
    recency: metricsOf(recency, plattProbabilities(recency, labels), labels),
  };
}
