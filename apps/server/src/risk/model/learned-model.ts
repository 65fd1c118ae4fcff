import { fitLogistic, sigmoid } from './logistic-regression.js';
import { standardizerOf } from './standardize.js';

/** The score a learned model gives at this churn probability: its 0–100 scale tops out here. */
const FULL_SCALE_PROBABILITY = 0.9;

export interface LearnedModel {
  /** Points per unit of severity, in FACTOR_KEYS order: the weights a score is computed with. */
  points: number[];
  /** Log-odds of churn for an account with every severity 0 (nothing wrong). */
  baseLogit: number;
  /** Points per unit of log-odds: score = pointsPerLogit × (logit − baseLogit), clamped. */
  pointsPerLogit: number;
  /** The fit on standardized severities, for the record. */
  coefficients: number[];
  means: number[];
  scales: number[];
}

/**
 * Fits a logistic regression of churn on standardized factor severities and turns it into
 * points on the default model's 0–100 scale. With `w = β / σ` (per unit of severity) and the
 * base log-odds `b₀` of an account with nothing wrong, a factor's contribution is
 * `pointsPerLogit × w × severity`: 0 for a healthy signal, like the default model, and the
 * contributions add up to `pointsPerLogit × (logit − b₀)`. The scale puts 100 at a 90% churn
 * probability, so the tier cut-offs keep a meaning.
 *
 * @example
 * const model = learnModel(rows.map((r) => r.severities), rows.map((r) => r.label));
 * model.points[0]; // points for login recency at full severity
 */
export function learnModel(severities: number[][], labels: number[], l2 = 1): LearnedModel {
  const standardizer = standardizerOf(severities);
  // Severities are oriented so that more means riskier: weights stay non-negative, so a learned
  // model re-weighs the research's signals and never flips one (docs/risk.md, Self-calibration).
  const fit = fitLogistic(severities.map(standardizer.apply), labels, { l2, nonNegative: true });
  const perUnit = fit.coefficients.map((beta, j) => beta / standardizer.scales[j]!);
  const baseLogit =
    fit.intercept -
    fit.coefficients.reduce(
      (sum, beta, j) => sum + (beta * standardizer.means[j]!) / standardizer.scales[j]!,
      0,
    );
  const fullScale = Math.log(FULL_SCALE_PROBABILITY / (1 - FULL_SCALE_PROBABILITY));
  // A base rate above 90% would invert the scale; one log-odds unit is the floor.
  const pointsPerLogit = 100 / Math.max(1, fullScale - baseLogit);
  return {
    points: perUnit.map((w) => round(w * pointsPerLogit)),
    baseLogit,
    pointsPerLogit,
    coefficients: fit.coefficients,
    means: standardizer.means,
    scales: standardizer.scales,
  };
}

/** A model's score before rounding: the sum of points × severity, clamped to 0–100. */
export function scoreOf(points: number[], severities: number[]): number {
  let total = 0;
  for (let j = 0; j < points.length; j += 1) total += points[j]! * severities[j]!;
  return Math.min(100, Math.max(0, total));
}

/** The learned model's churn probability for a row (unclamped). */
export function probabilityOf(model: LearnedModel, severities: number[]): number {
  let logit = model.baseLogit;
  for (let j = 0; j < model.points.length; j += 1) {
    logit += (model.points[j]! / model.pointsPerLogit) * severities[j]!;
  }
  return sigmoid(logit);
}

const round = (value: number) => Math.round(value * 100) / 100;
