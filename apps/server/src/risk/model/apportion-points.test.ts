import { describe, expect, it } from 'vitest';
import { apportionPoints } from './apportion-points.js';

const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 10) / 10 || 0;

describe('apportionPoints', () => {
  it('keeps contributions that already sum to a score in range, to the tenth', () => {
    const { score, points } = apportionPoints([20.04, 15.03, -3.02]);
    expect(score).toBe(32);
    expect(sum(points)).toBe(32);
    expect(points[0]).toBeCloseTo(20, 0);
  });

  it('shrinks the positive ones when the sum passes 100, and the negative ones below 0', () => {
    const high = apportionPoints([80, 40, -5]);
    expect(high.score).toBe(100);
    expect(sum(high.points)).toBe(100);
    expect(high.points[2]).toBe(-5);
    const low = apportionPoints([5, -20, -10]);
    expect(low.score).toBe(0);
    expect(sum(low.points)).toBe(0);
    expect(low.points[0]).toBe(5);
    expect(low.points[1]! / low.points[2]!).toBeCloseTo(2, 0);
  });

  it('sums exactly for many random inputs', () => {
    for (let k = 0; k < 500; k += 1) {
      const values = Array.from({ length: 14 }, (_, i) => Math.sin(k * 31 + i * 7) * 30);
      const { score, points } = apportionPoints(values);
      expect(sum(points)).toBe(score);
    }
  });
});
