import { SUBSCRIPTION_EVENTS, TICKET_EVENTS } from '../ingest/rollups.sql.js';
import type { CommittedEvent } from '../ingest/write-lane.js';

/**
 * What an account's new events ask of its kept score (`account_scores`), decided from the
 * events alone, strongest first:
 * - `rescore`: what the features of complete days read changed (events of another day: late
 *   data), or identities (identify and alias calls may attribute a user's earlier events
 *   anew): the account is scored again in full;
 * - `refresh`: its terms or tickets changed within the scoring day (group calls, ticket and
 *   subscription events): the row is scored again from the features it was scored from, with
 *   those read anew (rescore-accounts.ts);
 * - `row`: events that only add to the day's counters (page and screen views, logins, feature
 *   use, every other track event). The score counts complete days only, so these change
 *   nothing a kept row of the day holds: what the list says of today ("logged in today", "3
 *   knowledge-base article views today") is read when a page is read (list-today.ts). The
 *   account only needs a row of the day: a new account, or one whose row is of an earlier
 *   day, is scored.
 */
export type Need = 'rescore' | 'refresh' | 'row';

const STRENGTH: Record<Need, number> = { row: 0, refresh: 1, rescore: 2 };

/**
 * The need of a committed event for an account kept scored as of `day` ('YYYY-MM-DD'). Runs
 * on the writer's acknowledgement path for every event: no allocation.
 */
export function needOf(event: CommittedEvent, day: string): Need {
  // Stored timestamps are in `toISOString` form (ingest/event-record.ts): the day is a prefix.
  if (!event.timestamp.startsWith(day) || event.timestamp[day.length] !== 'T') return 'rescore';
  if (event.type === 'identify' || event.type === 'alias') return 'rescore';
  if (event.type === 'group') return 'refresh';
  const name = event.type === 'track' ? (event.event ?? '') : '';
  return TICKET_EVENTS.has(name) || SUBSCRIPTION_EVENTS.has(name) ? 'refresh' : 'row';
}

/** Both needs of an account at once (the queue keeps one per account): the stronger. */
export function mergeNeeds(a: Need, b: Need): Need {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}
