import { runningTerm, termEnd } from '../time/calendar.js';
import { DAY_MS } from '../time/utc-day.js';

/** One stored subscription event (subscription_events), times in ms. */
export interface SubscriptionEventRow {
  accountId: string;
  at: number;
  event: string;
  plan: string | null;
  mrr: number | null;
  interval: 'month' | 'year' | null;
  endsAt: number | null;
  reason: string | null;
}

/** What a span looks like from a moment on: MRR, plan and billing interval. */
export interface SpanStep {
  at: number;
  mrr: number;
  plan: string | null;
  interval: 'month' | 'year';
}

export interface Cancellation {
  /** When the customer gave notice. */
  noticeAt: number;
  reason: string | null;
}

/**
 * One continuous stretch as a paying customer: from a start (or a return) until the
 * subscription ends. `end` is null while it runs; a scheduled end (notice given, term still
 * running) is an `end` after the time the history was read at.
 */
export interface SubscriptionSpan {
  accountId: string;
  start: number;
  end: number | null;
  steps: SpanStep[];
  cancellation: Cancellation | null;
  /** The account had an earlier span: this one is a reactivation. */
  reactivation: boolean;
}

/** The span's MRR, plan and interval just before `instant` (its first step at the start). */
export function stepBefore(span: SubscriptionSpan, instant: number): SpanStep {
  let current = span.steps[0]!;
  for (const step of span.steps) {
    if (step.at < instant) current = step;
    else break;
  }
  return current;
}

/** A span is a customer at `instant` when it began before it and has not ended by it. */
export function activeAt(span: SubscriptionSpan, instant: number): boolean {
  return span.start < instant && (span.end === null || span.end > instant);
}

/** What the accounts table knows of an account: when it was created, its current plan. */
export interface KnownAccount {
  since: number;
  plan: string | null;
}

interface OpenSpan {
  span: SubscriptionSpan;
  /** Terms are counted from here: the start, the last renewal or change of interval. */
  anchor: number;
  pending: { end: number; cancellation: Cancellation } | null;
}

/**
 * The subscription spans of every account from its subscription events (sorted by time):
 * - `subscription_started`, `_changed` or `_renewed` opens a span when none runs (a return
 *   after the end is a reactivation), and otherwise changes MRR/plan/interval from that moment
 *   on; any of them after a notice withdraws the notice;
 * - `subscription_cancelled` schedules the end at `endsAt`, or else at the end of the monthly
 *   or yearly term running at the notice, terms counted from the start (a history opening
 *   with a renewal: from it), or from the latest interval change or off-schedule renewal;
 * - a scheduled end passes when the clock (the next event, or `until`) reaches it.
 * A missing MRR counts as 0 (such customers count in logo metrics only); a missing interval
 * as monthly. An account whose history begins with anything but `subscription_started` was a
 * customer before it: its first span starts at its creation (`knownAccounts`), when earlier,
 * on the account's plan.
 */
export function subscriptionSpans(
  events: readonly SubscriptionEventRow[],
  until: number,
  knownAccounts: ReadonlyMap<string, KnownAccount> = new Map(),
): SubscriptionSpan[] {
  const spans: SubscriptionSpan[] = [];
  const open = new Map<string, OpenSpan>();
  const seen = new Set<string>();

  const openSpan = (event: SubscriptionEventRow): OpenSpan => {
    const reactivation = seen.has(event.accountId);
    const known = knownAccounts.get(event.accountId);
    const since = known?.since;
    const start =
      !reactivation && event.event !== 'subscription_started' && since !== undefined
        ? Math.min(since, event.at)
        : event.at;
    const span: SubscriptionSpan = {
      accountId: event.accountId,
      start,
      end: null,
      steps: [
        {
          at: start,
          mrr: event.mrr ?? 0,
          plan: event.plan ?? known?.plan ?? null,
          interval: event.interval ?? 'month',
        },
      ],
      cancellation: null,
      reactivation,
    };
    spans.push(span);
    seen.add(event.accountId);
    // A renewal is a term boundary: a history that opens with one counts terms from it, not
    // from the account's creation (which may predate the paid subscription).
    const anchor = event.event === 'subscription_renewed' ? event.at : start;
    const opened = { span, anchor, pending: null };
    open.set(event.accountId, opened);
    return opened;
  };

  const closeIfDue = (accountId: string, now: number) => {
    const current = open.get(accountId);
    if (current?.pending && current.pending.end <= now) {
      current.span.end = current.pending.end;
      current.span.cancellation = current.pending.cancellation;
      open.delete(accountId);
    }
  };

  for (const event of events) {
    closeIfDue(event.accountId, event.at);
    const current = open.get(event.accountId);
    if (event.event === 'subscription_cancelled') {
      if (!current && (seen.has(event.accountId) || !knownAccounts.has(event.accountId))) continue;
      const running = current ?? openSpan(event);
      const interval = running.span.steps.at(-1)!.interval;
      const end = Math.max(
        event.endsAt ?? termEnd(running.anchor, interval, event.at),
        running.span.start,
      );
      running.pending = { end, cancellation: { noticeAt: event.at, reason: event.reason } };
      closeIfDue(event.accountId, event.at);
      continue;
    }
    if (!current) {
      openSpan(event);
      continue;
    }
    const last = current.span.steps.at(-1)!;
    const next: SpanStep = {
      at: event.at,
      mrr: event.mrr ?? last.mrr,
      plan: event.plan ?? last.plan,
      interval: event.interval ?? last.interval,
    };
    current.pending = null;
    if (next.interval !== last.interval) {
      current.anchor = event.at;
    } else if (event.event === 'subscription_renewed') {
      // A renewal on the schedule (within a day of a term boundary) keeps the terms counted
      // from the start: re-anchoring at a clamped date (Feb 28 for a Jan 31 start) would move
      // every later term end to the 28th. A renewal off the schedule is a new billing date.
      const term = runningTerm(current.anchor, next.interval, event.at);
      if (Math.min(event.at - term.start, term.end - event.at) >= DAY_MS) {
        current.anchor = event.at;
      }
    }
    if (next.mrr !== last.mrr || next.plan !== last.plan || next.interval !== last.interval) {
      current.span.steps.push(next);
    }
  }
  for (const accountId of [...open.keys()]) closeIfDue(accountId, until);
  // Notices whose end lies after `until` are kept as scheduled ends.
  for (const { span, pending } of open.values()) {
    if (pending) {
      span.end = pending.end;
      span.cancellation = pending.cancellation;
    }
  }
  return spans;
}
