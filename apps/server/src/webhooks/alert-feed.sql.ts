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
  created_at: Date | string;
  created_at_text: string;
  payload: AlertPayload;
}

/**
 * One page of the project's early warnings, newest first. Transitions are recorded in the
 * webhook outbox, one delivery per webhook subscribed to them; the feed keeps the first
 * delivery of each transition (same account and transition key), so a transition sent to
 * three webhooks is one alert. Deliveries of removed webhooks stay: the transition happened.
 * Keyset-paginated on (detection time, id), one range of `webhook_deliveries_feed`.
 */
export async function alertFeedPage(
  db: Db,
  projectId: string,
  options: { filters: AlertFeedFilters; limit: number; after?: FeedPosition | undefined },
): Promise<{ alerts: Alert[]; last: FeedPosition | null; hasMore: boolean }> {
  const { filters, after, limit } = options;
  const result = await sql<Row>`
    select d.id, d.kind, d.created_at, d.created_at::text as created_at_text, d.payload
    from webhook_deliveries d
    where d.project_id = ${projectId}
      ${filters.types ? sql`and d.kind = any(${filters.types}::text[])` : sql``}
      ${filters.accountId !== undefined ? sql`and d.account_id = ${filters.accountId}` : sql``}
      ${filters.since ? sql`and d.created_at >= ${filters.since.toISOString()}::timestamptz` : sql``}
      ${after ? sql`and (d.created_at, d.id) < (${after.at}::timestamptz, ${after.id})` : sql``}
      and not exists (
        select 1 from webhook_deliveries e
        where e.project_id = ${projectId} and e.account_id = d.account_id
          and e.dedup_key = d.dedup_key and e.id < d.id
      )
    order by d.created_at desc, d.id desc
    limit ${limit + 1}
  `.execute(db);
  const rows = result.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    alerts: rows.map(alertOf),
    last: last ? { at: last.created_at_text, id: last.id } : null,
    hasMore: result.rows.length > limit,
  };
}

function alertOf(row: Row): Alert {
  const { account, transition, risk } = row.payload;
  return {
    id: row.id,
    type: row.kind,
    detectedAt: new Date(row.created_at).toISOString(),
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
