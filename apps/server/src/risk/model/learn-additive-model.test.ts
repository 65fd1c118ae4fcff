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
    expect(penalties.length).toBeGreaterThan(1);
    expect(penalties.map((p) => p.l2)).toContain(model.l2);
    for (const row of heldOut.rows) expect(row.snapshot).toBeGreaterThanOrEqual(splitAt);
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
