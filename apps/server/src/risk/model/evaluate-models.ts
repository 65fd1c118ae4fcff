import type { LabelledRow } from './labelled-rows.js';
import { type LearnedModel, learnModel, probabilityOf, scoreOf } from './learned-model.js';
import { fitLogistic, linearPredictor, sigmoid } from './logistic-regression.js';
import { auc, type CalibrationBin, calibrationTable, precisionAtTop } from './model-metrics.js';

export interface ModelMetrics {
  auc: number | null;
  /** Share of churned accounts among the top 10% by score. */
  precisionAt10: number | null;
  /** Held-out deciles of predicted churn probability against observed churn. */
  calibration: CalibrationBin[];
}

export interface Comparison {
  learned: LearnedModel;
  learnedMetrics: ModelMetrics;
  defaultMetrics: ModelMetrics;
  /** The learned model is used only when it ranks the held-out accounts better. */
  adopted: boolean;
}

const TOP_FRACTION = 0.1;

function metricsOf(scores: number[], probabilities: number[], labels: number[]): ModelMetrics {
  const rounded = (value: number | null) => (value === null ? null : Math.round(value * 1e4) / 1e4);
  return {
    auc: rounded(auc(scores, labels)),
    precisionAt10: rounded(precisionAtTop(scores, labels, TOP_FRACTION)),
    calibration: calibrationTable(probabilities, labels),
  };
}

/**
 * Fits the learned model on the training rows and scores both models on the held-out rows. The
 * default model's scores are not probabilities, so its calibration table uses a one-variable
 * logistic fit of churn on its score (Platt scaling), learned on the training rows only.
 *
 * @example
 * const { adopted, learnedMetrics, defaultMetrics } = compareModels(train, test, defaultPoints);
 */
export function compareModels(
  training: LabelledRow[],
  evaluation: LabelledRow[],
  defaultPoints: number[],
): Comparison {
  const labels = (rows: LabelledRow[]) => rows.map((row) => row.label);
  const learned = learnModel(
    training.map((row) => row.severities),
    labels(training),
  );
  const heldOut = labels(evaluation);

  const learnedScores = evaluation.map((row) => scoreOf(learned.points, row.severities));
  const learnedProbabilities = evaluation.map((row) => probabilityOf(learned, row.severities));
  const learnedMetrics = metricsOf(learnedScores, learnedProbabilities, heldOut);

  const defaultScore = (row: LabelledRow) => scoreOf(defaultPoints, row.severities);
  const platt = fitLogistic(
    training.map((row) => [defaultScore(row) / 100]),
    labels(training),
    { l2: 0.01 },
  );
  const defaultScores = evaluation.map(defaultScore);
  const defaultProbabilities = defaultScores.map((s) => sigmoid(linearPredictor(platt, [s / 100])));
  const defaultMetrics = metricsOf(defaultScores, defaultProbabilities, heldOut);

  const adopted =
    learnedMetrics.auc !== null &&
    defaultMetrics.auc !== null &&
    learnedMetrics.auc > defaultMetrics.auc;
  return { learned, learnedMetrics, defaultMetrics, adopted };
}
