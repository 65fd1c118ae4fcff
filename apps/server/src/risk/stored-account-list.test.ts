import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusLane, engines, openTestDatabase } from '../../test/test-database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { projectSettingsSchema } from '../settings/project-settings.js';
import { featureStatement } from './account-features.sql.js';
import { analyzeStoredScores } from './current-scores.sql.js';
import { storedListStatement } from './stored-account-list.sql.js';

const PROJECT = 'prj_plans';
const ACCOUNTS = 3_000;
const DAY = '2026-12-06';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * The plans of the list's and the risk's statements, on a project of a few thousand accounts:
 * the costs that grow with accounts are plan shapes (a sort of every row, a scan of the
 * project's key range), and these tests catch them at a size where they still run fast.
 */
// Not in the Citus lane: a coordinator plans a distributed statement as a custom scan over the
// project's shard, whose own index use happens on the worker and is not in this plan.
describe.skipIf(citusLane).each(engines)('statement plans on %s', (engine) => {
  let database: DatabaseHandle;
  const plan = async (statement: RawBuilder<unknown>) => {
    const result = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${statement}`.execute(
      database.db,
    );
    const raw = result.rows[0]!['QUERY PLAN'];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
    return nodesOf(parsed[0]!.Plan);
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const migration = await migrateToLatest(database.db);
    if (migration.error) throw migration.error;
    await sql`
      insert into account_scores (project_id, account_id, name, plan, mrr, seats, start_day,
        last_seen_day, churned_at, score, tier, top_factors, trend, model, basis, scored_at)
      select ${PROJECT}, 'acct-' || lpad(i::text, 5, '0'), null, 'team', (i % 97) * 10, 5,
        date '2026-01-01', date '2026-12-01' - (i % 30),
        case when i % 10 = 0 then now() end, i % 100,
        case when i % 100 < 30 then 'healthy' when i % 100 < 50 then 'watch'
          when i % 100 < 70 then 'at_risk' else 'critical' end,
        '[]', '{}', 'default', 'b', now()
      from generate_series(1, ${ACCOUNTS}) i
    `.execute(database.db);
    await sql`
      insert into account_daily (project_id, account_id, day, logins)
      select ${PROJECT}, 'acct-' || lpad(i::text, 5, '0'), ${DAY}::date - d, 1
      from generate_series(1, ${ACCOUNTS}) i, generate_series(0, 9) d
    `.execute(database.db);
    // As after a full pass of the score keeper (analyzeStoredScores); the features' plan must
    // not depend on statistics (PGlite never gathers any by itself): it is explained without.
    await analyzeStoredScores(database.db);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it('reads a page of every sort as a range of its index, without sorting the project', async () => {
    const pages = [
      {
        sort: 'risk' as const,
        index: 'account_scores_by_risk',
        after: { key: 70, id: 'acct-01000' },
      },
      {
        sort: 'mrr' as const,
        index: 'account_scores_by_mrr',
        after: { key: 500, id: 'acct-01000' },
      },
      {
        sort: 'last_seen' as const,
        index: 'account_scores_by_last_seen',
        after: { key: '2026-11-20', id: 'acct-01000' },
      },
    ];
    for (const { sort, index, after } of pages) {
      for (const position of [undefined, after]) {
        const nodes = await plan(
          storedListStatement(PROJECT, projectSettingsSchema.parse({}), {
            sort,
            filters: { status: 'active' },
            day: DAY,
            limit: 50,
            after: position,
          }),
        );
        const label = `${sort}${position ? ' after a cursor' : ''}`;
        expect(
          nodes.map((node) => node['Node Type']),
          label,
        ).not.toContain('Sort');
        expect(
          nodes.map((node) => node['Index Name']),
          label,
        ).toContain(index);
      }
    }
  });

  it("probes one account's own key range for its features, never the project's", async () => {
    const nodes = await plan(
      featureStatement(PROJECT, {
        asOf: new Date(),
        keyFeatures: ['reports'],
        accountIds: ['acct-00042'],
      }),
    );
    const dailyScans = nodes.filter((node) => node['Relation Name'] === 'account_daily');
    expect(dailyScans.length).toBeGreaterThan(0);
    for (const scan of dailyScans) {
      expect(scan['Index Cond'] ?? 'no index condition').toMatch(/account_id/);
    }
  });
});
