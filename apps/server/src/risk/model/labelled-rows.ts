import type { Db } from '../../db/database.types.js';
import type { ProjectSettings } from '../../settings/project-settings.js';
import { accountFeatures } from '../account-features.sql.js';
import { inferKeyFeatures } from '../key-features.sql.js';
import { factorContext } from '../project-norms.js';
import { readFactors } from '../risk-score.js';
import { churnedWithin } from './churn-times.sql.js';

/**
 * One account at one snapshot time: its factor severities and whether it churned after. The
 * default model's held-out scores come from these.
 */
export interface LabelledRow {
  snapshot: string;
  accountId: string;
  /** Severities in the order of FACTOR_KEYS. */
  severities: number[];
  label: 0 | 1;
}

/**
 * Point-in-time training rows: for each snapshot time, every account that existed and had not
 * churned yet, with features computed only from data before that time (key features are
 * inferred as of that time too), labelled by churn within the horizon after it.
 */
export async function labelledRows(
  db: Db,
  projectId: string,
  times: Date[],
  horizonDays: number,
  settings: ProjectSettings,
  churn: Map<string, number[]>,
): Promise<LabelledRow[]> {
  const rows: LabelledRow[] = [];
  for (const asOf of times) {
    const keyFeatures =
      settings.keyFeatures.length > 0
        ? settings.keyFeatures
        : await inferKeyFeatures(db, projectId, asOf);
    const context = factorContext(settings, { keyFeatures, peerAdoption: {} });
    for (const features of await accountFeatures(db, projectId, { asOf, keyFeatures })) {
      if (features.churnedAt !== null) continue;
      rows.push({
        snapshot: asOf.toISOString(),
        accountId: features.accountId,
        severities: readFactors(features, context).map(({ reading }) => reading.severity),
        label: churnedWithin(churn.get(features.accountId), asOf, horizonDays) ? 1 : 0,
      });
    }
  }
  return rows;
}
