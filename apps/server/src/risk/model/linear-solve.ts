/**
 * Solves `A x = b` for a symmetric positive-definite `A` (a penalised Hessian) by Cholesky
 * decomposition. Returns null when `A` is not positive definite.
 *
 * @example
 * solveSymmetric([[4, 2], [2, 3]], [2, 1]); // [0.5, 0]
 */
export function solveSymmetric(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += 1) {
    const li = l[i]!;
    for (let j = 0; j <= i; j += 1) {
      const lj = l[j]!;
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k += 1) sum -= li[k]! * lj[k]!;
      if (i === j) {
        if (sum <= 0) return null;
        li[i] = Math.sqrt(sum);
      } else {
        li[j] = sum / lj[j]!;
      }
    }
  }
  // Forward substitution (L y = b), then back substitution (Lᵀ x = y).
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i += 1) {
    let sum = b[i]!;
    for (let k = 0; k < i; k += 1) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k += 1) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}
