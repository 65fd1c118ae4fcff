import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../seed/seeded-random.js';
import { DAY_MS } from '../../time/utc-day.js';
import { churnProbabilityOf, explainRow } from './additive-model.js';
import { type LabelledModelRow, learnAdditiveModel } from './learn-additive-model.js';
import { INPUTS } from './model-inputs.js';
import { calibrationTable } from './model-metrics.js';

const DAY = DAY_MS;
const recency = INPUTS.findIndex((input) => input.name === 'days_since_last_login');

/**
 * Rows whose true churn probability is known: it depends on recency only, and more strongly
 * for young accounts than old ones (what the tenure bands are for).
 */
function rows(count: number, seed: number, snapshots: number[]): LabelledModelRow[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const inputs = INPUTS.map(() => random.next());
    inputs[recency] = Math.log1p(random.next() * 60);
    const tenureDays = random.chance(0.5) ? 40 : 500;
    const slope = tenureDays < 90 ? 1.6 : 0.4;
    const p = 1 / (1 + Math.exp(-(-4 + slope * inputs[recency]!)));
    return {
      accountId: `a${i}`,
      snapshot: snapshots[i % snapshots.length]!,
      inputs,
      tenureDays,
      plan: null,
      label: random.next() < p ? 1 : 0,
      weight: 1,
      truth: p,
    } as LabelledModelRow & { truth: number };
  });
}

describe('learnAdditiveModel', () => {
  const snapshots = Array.from({ length: 20 }, (_, k) => Date.UTC(2026, 0, 1) + k * 7 * DAY);
  const splitAt = snapshots[14]!;
  const training = rows(40_000, 1, snapshots);
  const { model, heldOut, penalties } = learnAdditiveModel(training, {
    horizonDays: 28,
    features: [],
    heldOut: { from: splitAt, to: snapshots.at(-1)! },
  });

  it('chooses its penalty on the held-out weeks and keeps the rest for fitting', () => {
    expect(penalties.map((p) => p.l2)).toContain(model.l2);
    for (const row of heldOut.rows) expect(row.snapshot).toBeGreaterThanOrEqual(splitAt);
    // Between penalties that differ, the held-out weeks decide.
    const grid = learnAdditiveModel(training, {
      horizonDays: 28,
      features: [],
      heldOut: { from: splitAt, to: snapshots.at(-1)! },
      penalties: [1, 1e-3],
    });
    expect(grid.penalties.map((p) => p.l2)).toEqual([1, 1e-3]);
    const best = grid.penalties.reduce((a, b) => (b.auc! > a.auc! + 1e-4 ? b : a));
    expect(grid.model.l2).toBe(best.l2);
  });

  it('never penalises less than the weight of 20 churned rows, and fits equal penalties once', () => {
    const few = training.filter((row, i) => row.label === 0 || i % 400 === 0);
    const small = learnAdditiveModel(few, {
      horizonDays: 28,
      features: [],
      heldOut: { from: splitAt, to: snapshots.at(-1)! },
    });
    // A few dozen churned rows: every mild penalty is under the floor, so one fit is tried.
    expect(small.penalties).toHaveLength(1);
    const coefficients = small.model.beta.slice(1);
    // The floor keeps a few dozen churned rows from pulling ~130 coefficients apart (0.35 here;
    // 1.34 with a floor worth one churned row).
    expect(Math.max(...coefficients.map(Math.abs))).toBeLessThan(0.7);
  });

  it('learns a steeper recency slope for young accounts than for old ones', () => {
    const young = explainRow(model, {
      inputs: training[0]!.inputs.map((v, j) => (j === recency ? Math.log1p(50) : v)),
      tenureDays: 40,
      plan: null,
    });
    const youngFresh = explainRow(model, {
      inputs: training[0]!.inputs.map((v, j) => (j === recency ? 0 : v)),
      tenureDays: 40,
      plan: null,
    });
    const old = explainRow(model, {
      inputs: training[0]!.inputs.map((v, j) => (j === recency ? Math.log1p(50) : v)),
      tenureDays: 500,
      plan: null,
    });
    const oldFresh = explainRow(model, {
      inputs: training[0]!.inputs.map((v, j) => (j === recency ? 0 : v)),
      tenureDays: 500,
      plan: null,
    });
    expect(young.probability - youngFresh.probability).toBeGreaterThan(
      2 * (old.probability - oldFresh.probability),
    );
  });

  it('gives calibrated probabilities on fresh rows from the same distribution', () => {
    const fresh = rows(20_000, 2, snapshots) as (LabelledModelRow & { truth: number })[];
    const predicted = fresh.map((row) => churnProbabilityOf(model, row));
    for (const bin of calibrationTable(
      predicted,
      fresh.map((row) => row.label),
    )) {
      // Each decile holds 2,000 rows: the observed rate is within four points of the prediction.
      expect(Math.abs(bin.predicted - bin.observed)).toBeLessThan(0.04);
    }
  });

  it('explains a row in points that sum to its distance from the typical retained account', () => {
    const explanation = explainRow(model, training[3]!);
    const total = [...explanation.byFactor.values()].reduce((sum, points) => sum + points, 0);
    expect(total).toBeCloseTo(explanation.total, 8);
    expect(explanation.byFactor.get('days_since_last_login')).not.toBe(0);
  });
});
