import { INPUTS } from './model-inputs.js';
import { linearOf, type SparseRow } from './sparse-logistic.js';

/**
 * Tenure bands (lower edges in days). What a quiet week means depends on how long an account
 * has been a customer: a new account going quiet is leaving, a long-standing one may just be
 * between busy seasons. The inputs of BY_TENURE get one slope per band on top of a shared one.
 */
export const TENURE_BANDS = [0, 30, 90, 180, 365, 730] as const;

/**
 * A learned additive model of churn within `horizonDays`: a penalised logistic regression on
 * standardized inputs, tenure-band slopes and plan terms, calibrated on held-out rows. Stored as
 * `risk_models.weights` (kind `additive`).
 */
export interface AdditiveModel {
  kind: 'additive';
  horizonDays: number;
  /** Input names, in the order the means, scales and first coefficients follow. */
  inputs: string[];
  means: number[];
  scales: number[];
  /** Indices (into `inputs`) of the inputs with a slope per tenure band. */
  byTenure: number[];
  tenureBands: number[];
  /** The features with a bit of their own in the daily feature mask (see featureBitsOf). */
  features: string[];
  /** Plans with a term of their own; other plans share the baseline. */
  plans: string[];
  /** `[intercept, ...coefficients]` over the design columns (see designOf). */
  beta: number[];
  /** Platt scaling fitted on held-out rows: probability = σ(slope × linear + intercept). */
  calibration: { slope: number; intercept: number };
  /** The design row of the project's typical retained account: contributions are against it. */
  reference: number[];
  /** The chosen L2 penalty per unit of row weight. */
  l2: number;
}

/** What the model needs of an account at a time. */
export interface ModelRow {
  inputs: number[];
  tenureDays: number;
  plan: string | null;
}

export type ModelLayout = Pick<
  AdditiveModel,
  'inputs' | 'means' | 'scales' | 'byTenure' | 'tenureBands' | 'plans'
>;

export function bandOf(tenureDays: number, bands: readonly number[]): number {
  let band = 0;
  for (let b = 0; b < bands.length; b += 1) if (tenureDays >= bands[b]!) band = b;
  return band;
}

/** Columns: inputs, then band slopes (band-major), then band terms, then plan terms. */
export function columnsOf(layout: ModelLayout): number {
  const bands = layout.tenureBands.length;
  return layout.inputs.length + bands * layout.byTenure.length + bands + layout.plans.length;
}

/** The factor key each design column's contribution is reported under. */
export function factorsOfColumns(layout: ModelLayout): string[] {
  const factorOf = new Map(INPUTS.map((input) => [input.name, input.factor]));
  const inputFactors = layout.inputs.map((name) => factorOf.get(name) ?? 'tenure');
  return [
    ...inputFactors,
    ...layout.tenureBands.flatMap(() => layout.byTenure.map((j) => inputFactors[j]!)),
    ...layout.tenureBands.map(() => 'tenure'),
    ...layout.plans.map(() => 'plan'),
  ];
}

/** A row's sparse design: standardized inputs, its band's slopes, its band and plan terms. */
export function designOf(layout: ModelLayout, row: ModelRow): SparseRow {
  const inputs = layout.inputs.length;
  const bands = layout.tenureBands.length;
  const slopes = layout.byTenure.length;
  const band = bandOf(row.tenureDays, layout.tenureBands);
  const plan = row.plan === null ? -1 : layout.plans.indexOf(row.plan);
  const size = inputs + slopes + 1 + (plan >= 0 ? 1 : 0);
  const index = new Int32Array(size);
  const value = new Float64Array(size);
  for (let j = 0; j < inputs; j += 1) {
    index[j] = j;
    value[j] = (row.inputs[j]! - layout.means[j]!) / layout.scales[j]!;
  }
  for (let k = 0; k < slopes; k += 1) {
    index[inputs + k] = inputs + band * slopes + k;
    value[inputs + k] = value[layout.byTenure[k]!]!;
  }
  index[inputs + slopes] = inputs + bands * slopes + band;
  value[inputs + slopes] = 1;
  if (plan >= 0) {
    index[inputs + slopes + 1] = inputs + bands * slopes + bands + plan;
    value[inputs + slopes + 1] = 1;
  }
  return { index, value };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The calibrated log-odds of churn within the model's horizon. */
export function calibratedLogit(model: AdditiveModel, row: ModelRow): number {
  const linear = linearOf(Float64Array.from(model.beta), designOf(model, row));
  return model.calibration.slope * linear + model.calibration.intercept;
}

export function churnProbabilityOf(model: AdditiveModel, row: ModelRow): number {
  return sigmoid(calibratedLogit(model, row));
}

/** The score's 100 is this churn probability, as with the earlier learned model. */
const FULL_SCALE_PROBABILITY = 0.9;

export interface AdditiveExplanation {
  probability: number;
  /** Unclamped points: score = clamp(total, 0, 100). */
  total: number;
  /** Points by factor key, summing to `total`. */
  byFactor: Map<string, number>;
}

/**
 * Explains a row against the typical retained account: each column adds
 * `pointsPerLogit × slope × β_j × (x_j − reference_j)` points to its factor, so the points sum
 * to `pointsPerLogit × (logit − referenceLogit)`. The scale gives the typical retained account 0
 * points and a 90% churn probability 100, so the tier cut-offs keep a meaning.
 *
 * @example
 * const { byFactor, probability } = explainRow(model, row);
 */
export function explainRow(model: AdditiveModel, row: ModelRow): AdditiveExplanation {
  const design = designOf(model, row);
  const dense = new Float64Array(model.reference.length);
  for (let k = 0; k < design.index.length; k += 1) dense[design.index[k]!] = design.value[k]!;
  const referenceLinear = model.reference.reduce((sum, x, j) => sum + model.beta[j + 1]! * x, 0);
  const referenceLogit =
    model.calibration.slope * (model.beta[0]! + referenceLinear) + model.calibration.intercept;
  const fullScale = Math.log(FULL_SCALE_PROBABILITY / (1 - FULL_SCALE_PROBABILITY));
  const pointsPerLogit = 100 / Math.max(1, fullScale - referenceLogit);
  const factors = factorsOfColumns(model);
  const byFactor = new Map<string, number>();
  let total = 0;
  for (let j = 0; j < dense.length; j += 1) {
    const points =
      pointsPerLogit *
      model.calibration.slope *
      model.beta[j + 1]! *
      (dense[j]! - model.reference[j]!);
    total += points;
    byFactor.set(factors[j]!, (byFactor.get(factors[j]!) ?? 0) + points);
  }
  return { probability: churnProbabilityOf(model, row), total, byFactor };
}
