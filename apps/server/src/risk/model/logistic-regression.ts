import { solveSymmetric } from './linear-solve.js';

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** L2 penalty on the coefficients (not the intercept); features should be standardized. */
  l2?: number;
  maxIterations?: number;
  /** Stop when no parameter moves by more than this. */
  tolerance?: number;
  /**
   * Keep every coefficient ≥ 0 (projected Newton with an active set). For features oriented
   * so that larger means riskier, this keeps each learned weight pointing the way the research
   * says, instead of letting two correlated signals cancel out with opposite signs.
   */
  nonNegative?: boolean;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function linearPredictor(fit: Pick<LogisticFit, 'intercept' | 'coefficients'>, x: number[]) {
  let z = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j += 1) z += fit.coefficients[j]! * x[j]!;
  return z;
}

/**
 * L2-penalised logistic regression by Newton's method (IRLS): each step solves
 * `(XᵀWX + λI) Δ = Xᵀ(y − p) − λβ`. A handful of iterations converge on the few thousand rows
 * and dozen features of a churn model; the penalty keeps separable data finite.
 *
 * @example
 * const fit = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 0.1 });
 * sigmoid(linearPredictor(fit, [3])) > 0.5; // true
 */
export function fitLogistic(rows: number[][], labels: number[], options: LogisticOptions = {}) {
  const { l2 = 1, maxIterations = 100, tolerance = 1e-8, nonNegative = false } = options;
  const size = (rows[0]?.length ?? 0) + 1; // parameter 0 is the intercept
  let beta = new Array<number>(size).fill(0);
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const { gradient, hessian } = derivatives(rows, labels, beta, l2);
    // Coefficients held at 0 because the likelihood would push them below it.
    const free = beta.map((value, j) => j === 0 || !nonNegative || value > 0 || gradient[j]! > 0);
    const index = free.flatMap((isFree, j) => (isFree ? [j] : []));
    const step = solveSymmetric(
      index.map((a) => index.map((b) => hessian[a]![b]!)),
      index.map((a) => gradient[a]!),
    );
    if (!step) break;
    const next = [...beta];
    for (const [k, j] of index.entries()) {
      next[j] = j > 0 && nonNegative ? Math.max(0, beta[j]! + step[k]!) : beta[j]! + step[k]!;
    }
    const moved = Math.max(...next.map((value, j) => Math.abs(value - beta[j]!)));
    beta = next;
    if (moved < tolerance) {
      return {
        intercept: beta[0]!,
        coefficients: beta.slice(1),
        iterations: iteration,
        converged: true,
      };
    }
  }
  return {
    intercept: beta[0]!,
    coefficients: beta.slice(1),
    iterations: maxIterations,
    converged: false,
  };
}

/** Gradient and Hessian of the penalised log-likelihood at `beta`. */
function derivatives(rows: number[][], labels: number[], beta: number[], l2: number) {
  const size = beta.length;
  const gradient = new Array<number>(size).fill(0);
  const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const fit = { intercept: beta[0]!, coefficients: beta.slice(1) };
  for (let i = 0; i < rows.length; i += 1) {
    const x = rows[i]!;
    const prob = sigmoid(linearPredictor(fit, x));
    const weight = Math.max(prob * (1 - prob), 1e-10);
    const residual = labels[i]! - prob;
    for (let a = 0; a < size; a += 1) {
      const xa = a === 0 ? 1 : x[a - 1]!;
      gradient[a]! += xa * residual;
      const row = hessian[a]!;
      for (let b = 0; b <= a; b += 1) row[b]! += xa * (b === 0 ? 1 : x[b - 1]!) * weight;
    }
  }
  for (let a = 0; a < size; a += 1) {
    for (let b = a + 1; b < size; b += 1) hessian[a]![b] = hessian[b]![a]!;
    if (a > 0) {
      hessian[a]![a]! += l2;
      gradient[a]! -= l2 * beta[a]!;
    }
  }
  return { gradient, hessian };
}
