export interface Standardizer {
  means: number[];
  scales: number[];
  apply: (row: number[]) => number[];
}

/**
 * Column means and standard deviations of `rows`, and a function that standardizes a row with
 * them. A constant column gets scale 1 (it standardizes to 0 and its coefficient stays 0).
 *
 * @example
 * standardizerOf([[1], [3]]).apply([3]); // [1]
 */
export function standardizerOf(rows: number[][]): Standardizer {
  const p = rows[0]?.length ?? 0;
  const n = Math.max(rows.length, 1);
  const means = new Array<number>(p).fill(0);
  for (const row of rows) for (let j = 0; j < p; j += 1) means[j]! += row[j]! / n;
  const scales = new Array<number>(p).fill(0);
  for (const row of rows)
    for (let j = 0; j < p; j += 1) scales[j]! += (row[j]! - means[j]!) ** 2 / n;
  for (let j = 0; j < p; j += 1) scales[j] = Math.sqrt(scales[j]!) || 1;
  return {
    means,
    scales,
    apply: (row) => row.map((value, j) => (value - means[j]!) / scales[j]!),
  };
}
