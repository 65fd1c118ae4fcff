import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../seed/seeded-random.js';
import { learnModel, probabilityOf, scoreOf } from './learned-model.js';
import { sigmoid } from './logistic-regression.js';

/** Severities of 3 factors; churn depends on the first only. */
function rows(n: number) {
  const random = new SeededRandom(11);
  const severities: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const s = [random.chance(0.3) ? 1 : 0, random.next(), random.chance(0.5) ? -0.5 : 0];
    severities.push(s);
    labels.push(random.chance(sigmoid(-3 + 3 * s[0]!)) ? 1 : 0);
  }
  return { severities, labels };
}

describe('learnModel', () => {
  const { severities, labels } = rows(8_000);
  const model = learnModel(severities, labels);

  it('puts the weight on the factor that drives churn', () => {
    expect(model.points[0]).toBeGreaterThan(30);
    expect(model.points[1]).toBeLessThan(5);
    expect(Math.abs(model.points[2]!)).toBeLessThan(5);
  });

  it('gives an account with nothing wrong the base rate, and 0 points', () => {
    expect(sigmoid(model.baseLogit)).toBeCloseTo(sigmoid(-3), 1);
    expect(scoreOf(model.points, [0, 0, 0])).toBe(0);
  });

  it('turns contributions into log-odds at pointsPerLogit', () => {
    const row = [1, 0.5, 0];
    const logit = model.baseLogit + scoreOf(model.points, row) / model.pointsPerLogit;
    expect(probabilityOf(model, row)).toBeCloseTo(sigmoid(logit), 6);
    expect(probabilityOf(model, [1, 0, 0])).toBeCloseTo(sigmoid(0), 1);
  });
});
