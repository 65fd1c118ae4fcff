import { sql } from 'kysely';
import type { AlertPayload } from '../alerts/alert-payload.js';
import type { Db } from '../db/database.types.js';
import type { AlertTrigger } from '../db/tables/alerts.table.js';
import type { Alert } from './alert-feed.schemas.js';

export interface AlertFeedFilters {
  types?: AlertTrigger[] | undefined;
  accountId?: string | undefined;
  since?: Date | undefined;
}

/**
 * Where a page ended: the last alert's detection time as Postgres wrote it (microseconds: a
 * JavaScript Date would round them off, and the next page would skip or repeat an alert
 * detected within the same millisecond) and its id.
 */
export interface FeedPosition {
  at: string;
  id: string;
}

interface Row {
  id: string;
  kind: AlertTrigger;
  detected_at: Date | string;
  detected_at_text: string;
  payload: AlertPayload;
}

/**
 * One page of the project's early warnings, newest first: every transition detection found
 * (alerts/detect-transitions.ts records each once, whatever webhooks the project has).
 * Keyset-paginated on (detection time, id), one range of `alert_feed_newest` (or, for one
 * account, of `alert_feed_account`).
 */
export async function alertFeedPage(
  db: Db,
  projectId: string,
  options: { filters: AlertFeedFilters; limit: number; after?: FeedPosition | undefined },
): Promise<{ alerts: Alert[]; last: FeedPosition | null; hasMore: boolean }> {
  const { filters, after, limit } = options;
  const result = await sql<Row>`
    select a.id, a.kind, a.detected_at, a.detected_at::text as detected_at_text, a.payload
    from alert_feed a
    where a.project_id = ${projectId}
      ${filters.types ? sql`and a.kind = any(${filters.types}::text[])` : sql``}
      ${filters.accountId !== undefined ? sql`and a.account_id = ${filters.accountId}` : sql``}
      ${filters.since ? sql`and a.detected_at >= ${filters.since.toISOString()}::timestamptz` : sql``}
      ${after ? sql`and (a.detected_at, a.id) < (${after.at}::timestamptz, ${after.id})` : sql``}
    order by a.detected_at desc, a.id desc
    limit ${limit + 1}
  `.execute(db);
  const rows = result.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    alerts: rows.map(alertOf),
    last: last ? { at: last.detected_at_text, id: last.id } : null,
    hasMore: result.rows.length > limit,
  };
}

function alertOf(row: Row): Alert {
  const { account, transition, risk } = row.payload;
  return {
    id: row.id,
    type: row.kind,
    detectedAt: new Date(row.detected_at).toISOString(),
    account,
    transition: transition as Record<string, unknown>,
    risk: {
      score: risk.score,
      tier: risk.tier,
      trend: risk.trend,
      topFactors: risk.topFactors,
      recommendations: risk.recommendations,
    },
  };
}
