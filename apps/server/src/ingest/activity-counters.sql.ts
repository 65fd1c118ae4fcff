import { type RawBuilder, sql } from 'kysely';
import { ACTIVITY_COUNTERS, type ActivityCounters } from '../db/tables/rollups.table.js';

/**
 * Which events each counter of account_daily and user_daily counts, as a condition on a row of
 * `events` (`null`: every counted event). A `Record` over the counters, so that a counter added
 * to `ActivityCounters` does not compile until it says what it counts.
 */
const COUNTED_BY: Record<keyof ActivityCounters, RawBuilder<unknown> | null> = {
  events: null,
  logins: sql`event = 'login'`,
  feature_uses: sql`event = 'feature_used'`,
  tickets_opened: sql`event = 'support_ticket_opened'`,
  tickets_resolved: sql`event = 'support_ticket_resolved'`,
  tickets_unsatisfied: sql`event = 'support_ticket_resolved'
    and properties ->> 'satisfied' = 'false'`,
  password_resets: sql`event = 'password_reset_requested'`,
  kb_views: sql`event = 'kb_article_viewed'`,
  email_opens: sql`event = 'email_opened'`,
  email_clicks: sql`event = 'email_clicked'`,
  content_views: sql`event = 'content_viewed'`,
  milestones: sql`event = 'milestone_reached'`,
  page_views: sql`type <> 'track'`,
};

/**
 * The counters as aggregate expressions over rows of `events`, in `ACTIVITY_COUNTERS` order:
 * the writer counts newly inserted events with them, and the engagement queries the raw
 * events of a partial day.
 */
export const COUNTERS = sql.join(
  ACTIVITY_COUNTERS.map((name) => {
    const condition = COUNTED_BY[name];
    const count = condition ? sql`count(*) filter (where ${condition})` : sql`count(*)`;
    return sql`${count} as ${sql.id(name)}`;
  }),
);

/** The counter columns, in `ACTIVITY_COUNTERS` order. */
export const COUNTER_COLUMNS = sql.join(ACTIVITY_COUNTERS.map((name) => sql.id(name)));

/** `on conflict do update` assignments that add the incoming counts to the stored ones. */
export function addCounters(table: 'account_daily' | 'user_daily'): RawBuilder<unknown> {
  return sql.join(
    ACTIVITY_COUNTERS.map(
      (name) => sql`${sql.id(name)} = ${sql.id(table, name)} + excluded.${sql.id(name)}`,
    ),
  );
}
