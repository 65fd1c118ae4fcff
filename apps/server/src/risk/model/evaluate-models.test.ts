import { describe, expect, it } from 'vitest';
import { plattProbabilities } from './evaluate-models.js';

/** A repeatable pseudo-random sequence in [0, 1). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('plattProbabilities', () => {
  const next = random(11);
  const scores = Array.from({ length: 4_000 }, () => Math.round(next() * 100));
  // Churn with probability σ(0.05 · score − 4): 2% at 0, 73% at 100.
  const truth = (score: number) => 1 / (1 + Math.exp(-(0.05 * score - 4)));
  const labels = scores.map((score) => (next() < truth(score) ? 1 : 0));

  it('recovers the probability of a known distribution', () => {
    const probabilities = plattProbabilities(scores, labels);
    for (const score of [10, 50, 90]) {
      const i = scores.indexOf(score);
      expect(Math.abs(probabilities[i]! - truth(score))).toBeLessThan(0.05);
    }
  });

  it('never lets a row see its own label (cross-fitted)', () => {
    const flipped = labels.map((label, i) => (i === 0 ? 1 - label : label));
    expect(plattProbabilities(scores, flipped)[0]).toBe(plattProbabilities(scores, labels)[0]);
    // A row of the other half does see it.
    expect(plattProbabilities(scores, flipped)[1]).not.toBe(plattProbabilities(scores, labels)[1]);
  });
});
