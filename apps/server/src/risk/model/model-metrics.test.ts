import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../seed/seeded-random.js';
import { auc, calibrationTable, precisionAtTop } from './model-metrics.js';

describe('auc', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(auc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(auc([0.1, 0.3, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });

  it('counts ties as half', () => {
    expect(auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    expect(auc([0.9, 0.5, 0.5], [1, 1, 0])).toBe(0.75);
  });

  it('is about 0.5 for random scores on a large sample', () => {
    const random = new SeededRandom(3);
    const scores = Array.from({ length: 20_000 }, () => random.next());
    const labels = scores.map(() => (random.chance(0.2) ? 1 : 0));
    expect(Math.abs(auc(scores, labels)! - 0.5)).toBeLessThan(0.02);
  });

  it('is null without both classes', () => {
    expect(auc([0.1, 0.2], [0, 0])).toBeNull();
  });
});

describe('precisionAtTop', () => {
  it('is the churn rate among the top fraction', () => {
    const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(precisionAtTop(scores, [1, 0, 1, 0, 0, 0, 0, 0, 0, 1], 0.2)).toBe(0.5);
    expect(precisionAtTop(scores, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0], 0.1)).toBe(1);
  });

  it('shares ties at the cut-off in proportion', () => {
    expect(precisionAtTop([5, 5, 5, 5], [1, 0, 0, 0], 0.5)).toBe(0.25);
  });
});

describe('calibrationTable', () => {
  it('bins by prediction and compares with the observed rate', () => {
    const probabilities = Array.from({ length: 100 }, (_, i) => i / 100);
    const labels = probabilities.map((p, i) => (i % 10 < p * 10 ? 1 : 0));
    const table = calibrationTable(probabilities, labels);
    expect(table).toHaveLength(10);
    expect(table[0]).toEqual({ bin: 1, count: 10, predicted: 0.045, observed: 0 });
    expect(table[9]).toEqual({ bin: 10, count: 10, predicted: 0.945, observed: 1 });
    for (const bin of table) expect(Math.abs(bin.predicted - bin.observed)).toBeLessThan(0.1);
  });
});
