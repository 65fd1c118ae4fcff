import type { ProjectSettings } from '../settings/project-settings.js';
import type { AccountFeatures } from './account-features.types.js';

/**
 * Segment labels of an account, as `GET /v1/accounts?segment=` filters them: tenure (`new`
 * below settings.newCustomerDays, else `established`) and MRR size band from
 * settings.sizeBands (`size:0-100`, `size:100-1000`, ..., `size:10000+`, `size:unknown`).
 *
 * @example
 * segmentsOf({ tenureDays: 30, mrr: 250, ...rest }, settings); // ['new', 'size:100-1000']
 */
export function segmentsOf(
  account: Pick<AccountFeatures, 'tenureDays' | 'mrr'>,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
): string[] {
  const tenure = account.tenureDays < settings.newCustomerDays ? 'new' : 'established';
  return [tenure, sizeBandOf(account.mrr, settings.sizeBands)];
}

/** The size band label of an MRR: `size:100-1000`, `size:10000+` or `size:unknown`. */
export function sizeBandOf(mrr: number | null, bands: number[]): string {
  if (mrr === null) return 'size:unknown';
  let lower = 0;
  for (const upper of [...bands].sort((a, b) => a - b)) {
    if (mrr < upper) return `size:${lower}-${upper}`;
    lower = upper;
  }
  return `size:${lower}+`;
}

/** Every segment label a project's settings allow, for validating `?segment=`. */
export function segmentLabels(settings: Pick<ProjectSettings, 'sizeBands'>): string[] {
  const bands = [...settings.sizeBands].sort((a, b) => a - b);
  const sizes = bands.map((upper, i) => `size:${i === 0 ? 0 : bands[i - 1]}-${upper}`);
  return ['new', 'established', ...sizes, `size:${bands[bands.length - 1] ?? 0}+`, 'size:unknown'];
}
