/**
 * Area under the ROC curve: the probability that a random churned account scores above a random
 * retained one (ties count half), by the rank-sum (Mann–Whitney) formula. 1 = perfect ranking,
 * 0.5 = chance. Null without both classes.
 *
 * @example
 * auc([0.9, 0.8, 0.1], [1, 0, 0]); // 1
 */
export function auc(scores: number[], labels: number[]): number | null {
  const order = scores.map((score, index) => ({ score, label: labels[index]! }));
  order.sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.score === order[i]!.score) j += 1;
    const averageRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k += 1) {
      if (order[k]!.label === 1) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Share of churned accounts among the top `fraction` by score (precision at top-k): how often a
 * CS team working the riskiest 10% would be calling an account that really leaves. Ties at the
 * cut-off count in proportion.
 */
export function precisionAtTop(
  scores: number[],
  labels: number[],
  fraction: number,
): number | null {
  if (scores.length === 0) return null;
  const k = Math.max(1, Math.ceil(scores.length * fraction));
  const order = scores.map((score, index) => ({ score, label: labels[index]! }));
  order.sort((a, b) => b.score - a.score);
  const cutoff = order[k - 1]!.score;
  const above = order.filter((row) => row.score > cutoff);
  const tied = order.filter((row) => row.score === cutoff);
  const positivesAbove = above.filter((row) => row.label === 1).length;
  const tiedShare = tied.filter((row) => row.label === 1).length / tied.length;
  return (positivesAbove + tiedShare * (k - above.length)) / k;
}

export interface CalibrationBin {
  /** 1 = the lowest predicted probabilities. */
  bin: number;
  count: number;
  predicted: number;
  observed: number;
}

/**
 * Predicted against observed churn by bins of equal size (deciles by default), sorted by the
 * prediction: a calibrated model has `predicted ≈ observed` in every bin.
 */
export function calibrationTable(
  probabilities: number[],
  labels: number[],
  bins = 10,
): CalibrationBin[] {
  const order = probabilities.map((p, index) => ({ p, label: labels[index]! }));
  order.sort((a, b) => a.p - b.p);
  const table: CalibrationBin[] = [];
  for (let bin = 0; bin < bins; bin += 1) {
    const slice = order.slice(
      Math.floor((bin * order.length) / bins),
      Math.floor(((bin + 1) * order.length) / bins),
    );
    if (slice.length === 0) continue;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    table.push({
      bin: bin + 1,
      count: slice.length,
      predicted: round(mean(slice.map((row) => row.p))),
      observed: round(mean(slice.map((row) => row.label))),
    });
  }
  return table;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Brier score: the mean squared difference between the predicted probability and what happened
 * (0 = perfect; always predicting the base rate p scores p(1 − p)). Null without rows.
 */
export function brierScore(probabilities: number[], labels: number[]): number | null {
  if (probabilities.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i += 1) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / probabilities.length;
}

/** Precision at the top `fraction` over the base rate: how many times better than calling at random. */
export function liftAtTop(scores: number[], labels: number[], fraction: number): number | null {
  const precision = precisionAtTop(scores, labels, fraction);
  const base = labels.reduce((sum, label) => sum + label, 0) / Math.max(1, labels.length);
  return precision === null || base === 0 ? null : precision / base;
}
