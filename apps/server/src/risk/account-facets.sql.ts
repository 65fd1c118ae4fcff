import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import { segmentLabels } from './account-segments.js';
import { segmentPredicate } from './segment-predicate.js';
import { type AccountStatus, filterCondition } from './stored-account-list.sql.js';

export interface Facet {
  accounts: number;
  mrr: number;
}

export interface AccountFacets {
  plans: Array<Facet & { plan: string | null }>;
  segments: Array<Facet & { segment: string }>;
}

interface PlanRow {
  plan: string | null;
  accounts: number | string;
  mrr: number | string | null;
}

/**
 * The plans and segments of a project's stored current scores, with accounts and MRR in each:
 * the choices of the list's `plan` and `segment` filters, and what each holds. Two scans of the
 * project's `account_scores` rows (one grouped by plan, one counting every segment label at
 * once): about the cost of a filtered list's header, whatever the number of plans.
 */
export async function accountFacets(
  db: Db,
  projectId: string,
  options: {
    settings: Pick<ProjectSettings, 'newCustomerDays' | 'sizeBands'>;
    day: string;
    status: AccountStatus;
  },
): Promise<AccountFacets> {
  const { settings, day, status } = options;
  const where = filterCondition({ status }, settings, day, false);
  const labels = segmentLabels(settings);
  const [plans, segments] = await Promise.all([
    sql<PlanRow>`
      select s.plan, count(*) as accounts, coalesce(sum(s.mrr), 0) as mrr
      from account_scores s
      where s.project_id = ${projectId} and ${where}
      group by s.plan
      order by s.plan nulls last
    `.execute(db),
    sql<Record<string, number | string | null>>`
      select ${sql.join(
        labels.map((label, i) => {
          const matches = segmentPredicate(label, settings, day);
          return sql`count(*) filter (where ${matches}) as ${sql.ref(`a${i}`)},
            coalesce(sum(s.mrr) filter (where ${matches}), 0) as ${sql.ref(`m${i}`)}`;
        }),
      )}
      from account_scores s
      where s.project_id = ${projectId} and ${where}
    `.execute(db),
  ]);
  const counts = segments.rows[0] ?? {};
  return {
    plans: plans.rows.map((row) => ({
      plan: row.plan,
      accounts: Number(row.accounts),
      mrr: Number(row.mrr ?? 0),
    })),
    segments: labels
      .map((segment, i) => ({
        segment,
        accounts: Number(counts[`a${i}`] ?? 0),
        mrr: Number(counts[`m${i}`] ?? 0),
      }))
      .filter((facet) => facet.accounts > 0),
  };
}
