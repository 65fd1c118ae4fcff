import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../seed/seeded-random.js';
import { fitWeightedLogistic, type SparseRow } from './sparse-logistic.js';

function normal(random: SeededRandom): number {
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** Rows from a known logistic model: intercept −1, weights 1.5, −2, 0 and 0.5 (sparse). */
function knownModel(count: number, seed: number) {
  const random = new SeededRandom(seed);
  const truth = [-1, 1.5, -2, 0, 0.5];
  const rows: SparseRow[] = [];
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) {
    const x = [normal(random), normal(random), normal(random)];
    // The fourth column is set on a third of the rows only: a sparse indicator.
    const flag = random.chance(1 / 3);
    const index = flag ? Int32Array.of(0, 1, 2, 3) : Int32Array.of(0, 1, 2);
    const value = Float64Array.from(flag ? [...x, 1] : x);
    rows.push({ index, value });
    const z =
      truth[0]! +
      truth[1]! * x[0]! +
      truth[2]! * x[1]! +
      truth[3]! * x[2]! +
      (flag ? truth[4]! : 0);
    labels[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { truth, rows, labels };
}

describe('fitWeightedLogistic', () => {
  it('recovers the weights of a known model', () => {
    const { truth, rows, labels } = knownModel(20_000, 11);
    const fit = fitWeightedLogistic(rows, labels, new Float64Array(rows.length).fill(1), {
      columns: 4,
      l2: 1e-3,
    });
    expect(fit.converged).toBe(true);
    for (const [j, weight] of truth.entries()) expect(fit.beta[j]).toBeCloseTo(weight, 1);
  });

  it('treats a row of weight w as w copies of it', () => {
    const { rows, labels } = knownModel(2_000, 5);
    const doubled = [...rows, ...rows];
    const twice = fitWeightedLogistic(
      doubled,
      Uint8Array.from([...labels, ...labels]),
      new Float64Array(doubled.length).fill(1),
      { columns: 4, l2: 1 },
    );
    const weighted = fitWeightedLogistic(rows, labels, new Float64Array(rows.length).fill(2), {
      columns: 4,
      l2: 1,
    });
    for (let j = 0; j < 5; j += 1) expect(weighted.beta[j]).toBeCloseTo(twice.beta[j]!, 8);
  });

  it('shrinks every weight toward zero as the penalty grows, never the intercept', () => {
    const { rows, labels } = knownModel(2_000, 3);
    const ones = new Float64Array(rows.length).fill(1);
    const weak = fitWeightedLogistic(rows, labels, ones, { columns: 4, l2: 0.1 });
    const strong = fitWeightedLogistic(rows, labels, ones, { columns: 4, l2: 1e6 });
    for (let j = 1; j < 5; j += 1) expect(Math.abs(strong.beta[j]!)).toBeLessThan(0.01);
    expect(Math.abs(weak.beta[1]!)).toBeGreaterThan(1);
    const rate = labels.reduce((sum, label) => sum + label, 0) / labels.length;
    expect(strong.beta[0]).toBeCloseTo(Math.log(rate / (1 - rate)), 1);
  });
});
