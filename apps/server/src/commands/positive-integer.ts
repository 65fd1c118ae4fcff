import { UsageError } from './usage-error.js';

/** The value of `--<name>` as a positive integer, or `fallback` when the flag is absent. */
export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`--${name} must be a positive integer, not "${value}"`);
  }
  return number;
}
