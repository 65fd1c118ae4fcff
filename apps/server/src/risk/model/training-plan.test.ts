import { describe, expect, it } from 'vitest';
import { trainingPlan } from './training-plan.js';

const DAY = 86_400_000;
const end = new Date('2026-11-22T15:00:00Z');
const base = {
  end,
  dataStart: new Date(end.getTime() - 365 * DAY),
  horizonDays: 60,
  stepDays: 7,
  evaluationSnapshots: 3,
  minHistoryDays: 56,
  maxTrainingSnapshots: 16,
};

describe('trainingPlan', () => {
  it('holds out the latest snapshots whose horizon has passed', () => {
    const plan = trainingPlan(base);
    expect(plan.evaluation).toHaveLength(3);
    const last = plan.evaluation.at(-1)!.getTime();
    expect(last).toBeLessThanOrEqual(end.getTime() - 60 * DAY);
    expect(end.getTime() - 60 * DAY - last).toBeLessThan(DAY);
    expect(plan.splitAt).toEqual(plan.evaluation[0]);
  });

  it('never lets a training label reach past the split (no look-ahead)', () => {
    const plan = trainingPlan(base);
    expect(plan.training.length).toBeGreaterThan(0);
    for (const time of plan.training) {
      expect(time.getTime() + 60 * DAY).toBeLessThanOrEqual(plan.splitAt.getTime());
    }
  });

  it('starts no snapshot before enough history, and caps the number', () => {
    const plan = trainingPlan(base);
    const earliest = base.dataStart.getTime() + 56 * DAY;
    for (const time of [...plan.training, ...plan.evaluation]) {
      expect(time.getTime()).toBeGreaterThanOrEqual(earliest);
    }
    expect(plan.training.length).toBeLessThanOrEqual(16);
    const sorted = [...plan.training].sort((a, b) => a.getTime() - b.getTime());
    expect(plan.training).toEqual(sorted);
  });

  it('finds no training snapshots in a short history', () => {
    const plan = trainingPlan({ ...base, dataStart: new Date(end.getTime() - 120 * DAY) });
    expect(plan.training).toEqual([]);
  });
});
