import { DAY_MS } from '../../time/utc-day.js';
import {
  type AdditiveModel,
  columnsOf,
  designOf,
  type ModelLayout,
  type ModelRow,
  TENURE_BANDS,
} from './additive-model.js';
import { INPUTS } from './model-inputs.js';
import { auc } from './model-metrics.js';
import { fitWeightedLogistic, linearOf, type SparseRow } from './sparse-logistic.js';

/** An account at a snapshot, with whether it churned within the horizon after it. */
export interface LabelledModelRow extends ModelRow {
  accountId: string;
  /** Snapshot time (ms). */
  snapshot: number;
  label: 0 | 1;
  /** How many snapshot rows this row stands for (1, or more for a subsampled retained row). */
  weight: number;
}

export interface LearnOptions {
  horizonDays: number;
  /** The features the rows' feature masks were read with. */
  features: string[];
  /**
   * The held-out block of snapshot times (ms, inclusive). Rows in it choose the penalty; rows
   * fit only when their horizon cannot overlap the block's (a horizon before it, or after it).
   */
  heldOut: { from: number; to: number };
  /** L2 penalties to choose from, per unit of row weight (default PENALTIES). */
  penalties?: readonly number[] | undefined;
}

export interface LearnResult {
  model: AdditiveModel;
  /** The held-out rows, scored by the model fitted before the split (calibrated). */
  heldOut: { rows: LabelledModelRow[]; probabilities: number[] };
  /** Held-out AUC of each penalty tried. */
  penalties: { l2: number; auc: number | null }[];
}

// Penalties per unit of row weight, strongest first (each fit starts from the previous one).
// Mild on purpose: with tens of thousands of rows and about 130 columns the fit is far from
// overfitting, and the held-out weeks are the latest ones, which can differ from the weeks
// being scored (on real course data they favoured penalties ten times stronger than the ones
// that ranked best a year later: see docs/risk.md).
const PENALTIES: readonly number[] = [1e-3, 3e-4, 1e-4];
const MIN_PLAN_ROWS = 30;
const CALIBRATION_FOLDS = 5;
/**
 * The least penalty, as the weight of this many churned rows. Churned rows are few and each
 * weighs much after class balancing, so it is they that let about 130 columns separate the
 * classes and run to infinity (seen on generated projects with a few dozen churned rows, where
 * a floor worth 20 average rows was worth one churned row). As a prior worth 20 churned rows it
 * is nothing when thousands churned, and strong when a few dozen did.
 */
const MIN_PRIOR_CHURNED = 20;

/** The L2 penalty of a fit: `l2` per unit of row weight, never under the floor above. */
function penaltyOf(l2: number, weights: Float64Array, labels: Uint8Array): number {
  let total = 0;
  let churned = 0;
  for (let i = 0; i < weights.length; i += 1) {
    total += weights[i]!;
    churned += labels[i]!;
  }
  // Balanced weights give the churned rows half the total.
  const churnedRowWeight = churned > 0 ? total / (2 * churned) : 1;
  return Math.max(MIN_PRIOR_CHURNED * churnedRowWeight, l2 * total);
}

/** Whether an account is in the fifth held out for calibration (by a hash of its id). */
function calibrationFold(accountId: string): boolean {
  let hash = 2166136261;
  for (let i = 0; i < accountId.length; i += 1) {
    hash = Math.imul(hash ^ accountId.charCodeAt(i), 16777619);
  }
  return (hash >>> 0) % CALIBRATION_FOLDS === 0;
}
const MAX_PLANS = 20;

function layoutOf(rows: LabelledModelRow[]): ModelLayout {
  const inputs = INPUTS.length;
  const total = rows.reduce((sum, row) => sum + row.weight, 0);
  const means = new Array<number>(inputs).fill(0);
  const squares = new Array<number>(inputs).fill(0);
  const planRows = new Map<string, number>();
  for (const row of rows) {
    for (let j = 0; j < inputs; j += 1) means[j]! += (row.weight * row.inputs[j]!) / total;
    if (row.plan !== null) planRows.set(row.plan, (planRows.get(row.plan) ?? 0) + 1);
  }
  for (const row of rows) {
    for (let j = 0; j < inputs; j += 1) {
      squares[j]! += (row.weight * (row.inputs[j]! - means[j]!) ** 2) / total;
    }
  }
  const plans = [...planRows]
    .filter(([, count]) => count >= MIN_PLAN_ROWS)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_PLANS)
    .map(([plan]) => plan);
  return {
    inputs: INPUTS.map((input) => input.name),
    means,
    // A constant input standardizes to 0 and keeps a zero weight.
    scales: squares.map((variance) => Math.sqrt(variance) || 1),
    byTenure: INPUTS.flatMap((input, j) => (input.byTenure ? [j] : [])),
    tenureBands: [...TENURE_BANDS],
    plans,
  };
}

/**
 * Weights that give both classes the same total: churn is the rare class, and without this the
 * fit spends its capacity on the many retained rows. Platt scaling on held-out rows undoes the
 * shift in the intercept, so probabilities stay calibrated.
 */
function balanced(rows: LabelledModelRow[]): Float64Array {
  let churned = 0;
  let retained = 0;
  for (const row of rows) {
    if (row.label === 1) churned += row.weight;
    else retained += row.weight;
  }
  const total = churned + retained;
  return Float64Array.from(rows, (row) =>
    row.label === 1 ? (row.weight * total) / (2 * churned) : (row.weight * total) / (2 * retained),
  );
}

/** One-variable Platt scaling of a linear predictor on held-out rows. */
function plattScaling(
  linear: number[],
  labels: number[],
  weights: number[],
): AdditiveModel['calibration'] {
  const rows: SparseRow[] = linear.map((z) => ({
    index: Int32Array.of(0),
    value: Float64Array.of(z),
  }));
  const fit = fitWeightedLogistic(rows, Uint8Array.from(labels), Float64Array.from(weights), {
    columns: 1,
    l2: 1e-6,
  });
  return { slope: fit.beta[1]!, intercept: fit.beta[0]! };
}

function meanRetainedDesign(layout: ModelLayout, rows: LabelledModelRow[], designs: SparseRow[]) {
  const reference = new Array<number>(columnsOf(layout)).fill(0);
  let total = 0;
  rows.forEach((row, i) => {
    if (row.label === 1) return;
    total += row.weight;
    const { index, value } = designs[i]!;
    for (let k = 0; k < index.length; k += 1) reference[index[k]!]! += row.weight * value[k]!;
  });
  return reference.map((sum) => (total > 0 ? sum / total : 0));
}

/**
 * Learns the additive model from point-in-time snapshot rows, all of whose labels were known at
 * training time. The penalty is chosen by a time split inside the training window: fits on the
 * rows whose horizon cannot overlap the held-out block's, scored on the block, strongest
 * penalty first. Calibration is fitted on held-out accounts; the final model is refitted on
 * every row (the block's included) with the chosen penalty and keeps that calibration.
 *
 * @example
 * const { model, heldOut } = learnAdditiveModel(rows, { horizonDays: 60, features, heldOut });
 */
export function learnAdditiveModel(rows: LabelledModelRow[], options: LearnOptions): LearnResult {
  const layout = layoutOf(rows);
  const columns = columnsOf(layout);
  const gap = options.horizonDays * DAY_MS;
  const { from, to } = options.heldOut;
  const allDesign = rows.map((row) => designOf(layout, row));
  const isFitting = (row: LabelledModelRow) =>
    row.snapshot <= from - gap || row.snapshot >= to + gap;
  const isHeldOut = (row: LabelledModelRow) => row.snapshot >= from && row.snapshot <= to;
  const fitting = rows.filter(isFitting);
  const heldOutRows = rows.filter(isHeldOut);
  const fittingDesign = allDesign.filter((_, i) => isFitting(rows[i]!));
  const heldOutDesign = allDesign.filter((_, i) => isHeldOut(rows[i]!));
  const fittingWeights = balanced(fitting);
  const fittingLabels = Uint8Array.from(fitting, (row) => row.label);
  const heldOutLabels = heldOutRows.map((row) => row.label);

  const penalties: LearnResult['penalties'] = [];
  let start: Float64Array | undefined;
  let best: { l2: number; auc: number; beta: Float64Array } | undefined;
  const candidates = options.penalties ?? PENALTIES;
  const tried = new Set<number>();
  for (const l2 of candidates) {
    // On a small project the floor makes weak penalties equal: each is fitted once.
    const penalty = penaltyOf(l2, fittingWeights, fittingLabels);
    if (tried.has(penalty)) continue;
    tried.add(penalty);
    const fit = fitWeightedLogistic(fittingDesign, fittingLabels, fittingWeights, {
      columns,
      l2: penalty,
      start,
    });
    start = fit.beta;
    const heldOutAuc = auc(
      heldOutDesign.map((row) => linearOf(fit.beta, row)),
      heldOutLabels,
    );
    penalties.push({ l2, auc: heldOutAuc === null ? null : Math.round(heldOutAuc * 1e4) / 1e4 });
    // A weaker penalty must do strictly better to be chosen.
    if (heldOutAuc !== null && (!best || heldOutAuc > best.auc + 1e-4)) {
      best = { l2, auc: heldOutAuc, beta: Float64Array.from(fit.beta) };
    }
  }
  const chosen = best ?? { l2: candidates[0]!, beta: start ?? new Float64Array(columns + 1) };

  // Calibration on held-out accounts: a fit without a fifth of the accounts, with the chosen
  // penalty, then Platt scaling on that fifth's rows, weighted as the population they stand for
  // (sampling and season, not class balance). Held-out accounts rather than the latest weeks,
  // so the probabilities fit the snapshots the model learned most from.
  const allRows = rows;
  const calibrating = allRows.map((row) => calibrationFold(row.accountId));
  const kept = allRows.filter((_, i) => !calibrating[i]);
  const keptWeights = balanced(kept);
  const keptLabels = Uint8Array.from(kept, (row) => row.label);
  const calibrationFit = fitWeightedLogistic(
    allDesign.filter((_, i) => !calibrating[i]),
    keptLabels,
    keptWeights,
    { columns, l2: penaltyOf(chosen.l2, keptWeights, keptLabels), start: chosen.beta },
  );
  const calibration = plattScaling(
    allDesign.flatMap((row, i) => (calibrating[i] ? [linearOf(calibrationFit.beta, row)] : [])),
    allRows.flatMap((row, i) => (calibrating[i] ? [row.label] : [])),
    allRows.flatMap((row, i) => (calibrating[i] ? [row.weight] : [])),
  );
  const probabilities = heldOutDesign.map((row) => {
    const z = calibration.slope * linearOf(chosen.beta, row) + calibration.intercept;
    return 1 / (1 + Math.exp(-z));
  });

  const allWeights = balanced(allRows);
  const allLabels = Uint8Array.from(allRows, (row) => row.label);
  const final = fitWeightedLogistic(allDesign, allLabels, allWeights, {
    columns,
    l2: penaltyOf(chosen.l2, allWeights, allLabels),
    start: chosen.beta,
  });
  const model: AdditiveModel = {
    kind: 'additive',
    horizonDays: options.horizonDays,
    features: options.features,
    ...layout,
    beta: Array.from(final.beta),
    calibration,
    reference: meanRetainedDesign(layout, allRows, allDesign),
    l2: chosen.l2,
  };
  return { model, heldOut: { rows: heldOutRows, probabilities }, penalties };
}
