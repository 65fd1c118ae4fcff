import type { Options } from 'uplot';

/** Shared axis look: readable at 375 px, days in UTC like the API. */
export const baseAxes = (yLabel?: string): NonNullable<Options['axes']> => [
  { stroke: '#555', grid: { stroke: '#eee' } },
  { stroke: '#555', grid: { stroke: '#eee' }, ...(yLabel ? { label: yLabel } : {}), size: 50 },
];

export const seconds = (iso: string) =>
  Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000;

/** Category x axes (periods, cohorts) use their index and print their label. */
export function categoryAxis(labels: readonly string[]): NonNullable<Options['axes']>[number] {
  return {
    stroke: '#555',
    grid: { show: false },
    splits: () => labels.map((_, index) => index),
    values: (_, splits) => splits.map((index) => labels[index] ?? ''),
  };
}
