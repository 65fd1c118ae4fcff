/**
 * Turns exact contributions into ones that add up to the reported score: the score is the sum
 * clamped to 0–100 and rounded, so when the sum is above 100 the positive contributions shrink
 * in proportion (below 0, the negative ones), and the shares are then rounded to tenths by
 * largest remainder, so that the rounded contributions sum to the score exactly.
 *
 * @example
 * apportionPoints([80, 40, -5]); // { score: 100, points: [69.6, 34.8, -4.4] }
 */
export function apportionPoints(contributions: number[]): { score: number; points: number[] } {
  const total = contributions.reduce((sum, value) => sum + value, 0);
  const score = Math.min(100, Math.max(0, Math.round(total)));
  const positive = contributions.reduce((sum, value) => sum + Math.max(0, value), 0);
  const negative = contributions.reduce((sum, value) => sum + Math.min(0, value), 0);
  let scaled = contributions;
  if (total > score && positive > 0) {
    const factor = (score - negative) / positive;
    scaled = contributions.map((value) => (value > 0 ? value * factor : value));
  } else if (total < score && negative < 0) {
    const factor = (positive - score) / -negative;
    scaled = contributions.map((value) => (value < 0 ? value * factor : value));
  }
  // Largest remainder in tenths: floor every share, then hand out the missing tenths.
  const tenths = scaled.map((value) => value * 10);
  const floors = tenths.map(Math.floor);
  let missing = score * 10 - floors.reduce((sum, value) => sum + value, 0);
  const order = tenths
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (missing <= 0) break;
    floors[index]! += 1;
    missing -= 1;
  }
  // `|| 0` turns −0 into 0.
  return { score, points: floors.map((value) => value / 10 || 0) };
}
