import { type RawBuilder, sql } from 'kysely';
import type { ProjectSettings } from '../settings/project-settings.js';
import { addDays } from '../time/utc-day.js';

/**
 * The SQL condition (on `account_scores` as `s`) equal to "`segmentsOf` of the account on `day`
 * includes `label`", for a label from `segmentLabels(settings)`. Tenure is counted from the
 * stored first day, so `new` stays exact as days pass without re-scoring anyone.
 */
export function segmentPredicate(
  label: string,
  settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>,
  day: string,
): RawBuilder<unknown> {
  // tenureDays < newCustomerDays  <=>  start_day > day - newCustomerDays
  const newSince = addDays(day, -settings.newCustomerDays);
  if (label === 'new') return sql`s.start_day > ${newSince}::date`;
  if (label === 'established') return sql`s.start_day <= ${newSince}::date`;
  if (label === 'size:unknown') return sql`s.mrr is null`;
  const bands = [...settings.sizeBands].sort((a, b) => a - b);
  const last = bands[bands.length - 1] ?? 0;
  if (label === `size:${last}+`) return sql`s.mrr >= ${last}`;
  for (const [i, upper] of bands.entries()) {
    const lower = i === 0 ? 0 : bands[i - 1]!;
    if (label !== `size:${lower}-${upper}`) continue;
    // sizeBandOf puts every MRR below the first edge (negative ones too) in the first band.
    return i === 0 ? sql`s.mrr < ${upper}` : sql`s.mrr >= ${lower} and s.mrr < ${upper}`;
  }
  return sql`false`;
}
