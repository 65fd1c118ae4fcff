import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../seed/seeded-random.js';
import { solveSymmetric } from './linear-solve.js';
import { fitLogistic, linearPredictor, sigmoid } from './logistic-regression.js';

/** Rows drawn from a logistic model with known coefficients. */
function synthetic(n: number, intercept: number, coefficients: number[], seed = 7) {
  const random = new SeededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i += 1) {
    // Box–Muller normal features.
    const x = coefficients.map(
      () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next()),
    );
    rows.push(x);
    labels.push(random.chance(sigmoid(linearPredictor({ intercept, coefficients }, x))) ? 1 : 0);
  }
  return { rows, labels };
}

describe('fitLogistic', () => {
  it('recovers known coefficients from synthetic data', () => {
    const truth = { intercept: -1, coefficients: [1.5, -2, 0.5, 0] };
    const { rows, labels } = synthetic(20_000, truth.intercept, truth.coefficients);
    const fit = fitLogistic(rows, labels, { l2: 0.01 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(truth.intercept, 1);
    for (const [j, beta] of truth.coefficients.entries()) {
      expect(Math.abs(fit.coefficients[j]! - beta), `coefficient ${j}`).toBeLessThan(0.1);
    }
  });

  it('shrinks coefficients towards 0 as the L2 penalty grows', () => {
    const { rows, labels } = synthetic(2_000, 0, [2]);
    const loose = fitLogistic(rows, labels, { l2: 0.01 }).coefficients[0]!;
    const tight = fitLogistic(rows, labels, { l2: 2_000 }).coefficients[0]!;
    expect(tight).toBeGreaterThan(0);
    expect(tight).toBeLessThan(loose / 2);
  });

  it('stays finite on perfectly separable data', () => {
    const fit = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 0.1 });
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(sigmoid(linearPredictor(fit, [3]))).toBeGreaterThan(0.5);
    expect(sigmoid(linearPredictor(fit, [0]))).toBeLessThan(0.5);
  });

  it('keeps coefficients non-negative on request', () => {
    const { rows, labels } = synthetic(5_000, 0, [1.5, -1]);
    const free = fitLogistic(rows, labels, { l2: 0.01 });
    const constrained = fitLogistic(rows, labels, { l2: 0.01, nonNegative: true });
    expect(free.coefficients[1]).toBeLessThan(-0.5);
    expect(constrained.coefficients[1]).toBe(0);
    expect(constrained.coefficients[0]).toBeGreaterThan(1);
  });
});

describe('solveSymmetric', () => {
  it('solves a positive-definite system and refuses a singular one', () => {
    const x = solveSymmetric(
      [
        [4, 2],
        [2, 3],
      ],
      [2, 1],
    );
    expect(x?.[0]).toBeCloseTo(0.5);
    expect(x?.[1]).toBeCloseTo(0);
    expect(
      solveSymmetric(
        [
          [1, 1],
          [1, 1],
        ],
        [1, 1],
      ),
    ).toBeNull();
  });
});
