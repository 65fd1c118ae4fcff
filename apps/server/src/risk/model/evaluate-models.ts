import { fitLogistic, linearPredictor, sigmoid } from './logistic-regression.js';
import {
  auc,
  brierScore,
  type CalibrationBin,
  calibrationTable,
  liftAtTop,
  precisionAtTop,
} from './model-metrics.js';

export interface ModelMetrics {
  auc: number | null;
  /** Share of churned accounts among the top 10% by score. */
  precisionAt10: number | null;
  /** precisionAt10 over the base churn rate. */
  liftAt10: number | null;
  /** Mean squared error of the churn probability (lower is better). */
  brier: number | null;
  /** Deciles of predicted churn probability against observed churn. */
  calibration: CalibrationBin[];
}

const TOP_FRACTION = 0.1;
const rounded = (value: number | null) => (value === null ? null : Math.round(value * 1e4) / 1e4);

/**
 * How well scores rank and probabilities predict what happened. Probabilities must be churn
 * probabilities within the same horizon as the labels.
 *
 * @example
 * metricsOf([0.9, 0.1], [0.8, 0.1], [1, 0]).auc; // 1
 */
export function metricsOf(
  scores: number[],
  probabilities: number[],
  labels: number[],
): ModelMetrics {
  return {
    auc: rounded(auc(scores, labels)),
    precisionAt10: rounded(precisionAtTop(scores, labels, TOP_FRACTION)),
    liftAt10: rounded(liftAtTop(scores, labels, TOP_FRACTION)),
    brier: rounded(brierScore(probabilities, labels)),
    calibration: calibrationTable(probabilities, labels),
  };
}

/**
 * Probabilities for a score that is not one (the default model's points, days since the last
 * login): a one-variable logistic fit of churn on the score (Platt scaling). Cross-fitted, so
 * that the calibration table does not flatter it: each row gets the fit on the other half of
 * the rows (alternate rows make the halves). Its ranking (AUC, precision) is untouched.
 */
export function plattProbabilities(scores: number[], labels: number[]): number[] {
  const scale = scores.reduce((max, score) => Math.max(max, Math.abs(score)), 1);
  const fitOnHalf = (half: number) => {
    const rows = scores.flatMap((_, i) => (i % 2 === half ? [i] : []));
    return fitLogistic(
      rows.map((i) => [scores[i]! / scale]),
      rows.map((i) => labels[i]!),
      { l2: 0.01 },
    );
  };
  const fitFor = [fitOnHalf(1), fitOnHalf(0)];
  return scores.map((score, i) => sigmoid(linearPredictor(fitFor[i % 2]!, [score / scale])));
}
