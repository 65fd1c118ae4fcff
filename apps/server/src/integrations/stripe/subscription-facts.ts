import type { SubscriptionSnapshot } from './subscription-snapshot.js';

/** What Tenure last applied for a subscription (stored as JSON in stripe_subscriptions). */
export interface AppliedSubscription {
  phase: 'trial' | 'active' | 'ended';
  plan: string;
  mrr: number;
  seats: number;
  interval: 'month' | 'year';
  noticeEndsAt: number | null;
}

/** A Tenure track event to write: a subscription fact or a trial event. */
export interface SubscriptionFact {
  messageId: string;
  event: string;
  timestamp: number;
  properties: Record<string, unknown>;
}

export interface FactsResult {
  facts: SubscriptionFact[];
  next: AppliedSubscription | null;
}

/**
 * The Tenure facts a subscription's new state adds to what was applied before, at `at` (ms,
 * the Stripe event's time, or the listing's for a backfill); `changeId` names a change (the
 * Stripe event id, or a backfill's). Ids are derived from the subscription and Stripe's own
 * times, so a webhook and a backfill that see the same start or the same notice write the
 * same message and the database keeps one:
 * - a trial is `trial_started` (not revenue: a trial that never converts is not churn);
 * - becoming active (from nothing, a trial or an end) is `subscription_started`, at the trial's
 *   end or the start date;
 * - a different plan, MRR, seats or interval is `subscription_changed` (expansion or
 *   contraction in the churn metrics); withdrawing a notice too;
 * - a notice (`cancel_at_period_end`) is `subscription_cancelled` with `endsAt`, the churn
 *   counted when it passes; an immediate end is one whose `endsAt` is the end.
 */
export function subscriptionFacts(
  previous: AppliedSubscription | null,
  snapshot: SubscriptionSnapshot,
  at: number,
  changeId: string,
): FactsResult {
  const id = snapshot.subscriptionId;
  const terms = {
    plan: snapshot.plan,
    mrr: snapshot.mrr,
    seats: snapshot.seats,
    interval: snapshot.interval,
  };
  const extra = { stripeSubscriptionId: id };
  const facts: SubscriptionFact[] = [];
  const current = (phase: AppliedSubscription['phase']): AppliedSubscription => ({
    phase,
    ...terms,
    noticeEndsAt: phase === 'ended' ? null : snapshot.noticeEndsAt,
  });
  const cancellation = (endsAt: number, noticeAt: number) =>
    facts.push({
      messageId: `stripe:${id}:cancelled:${noticeAt}:${endsAt}`,
      event: 'subscription_cancelled',
      timestamp: noticeAt,
      properties: {
        reason: snapshot.reason,
        ...(snapshot.feedback ? { feedback: snapshot.feedback } : {}),
        mrr: previous?.mrr ?? snapshot.mrr,
        seats: snapshot.seats,
        endsAt: new Date(endsAt).toISOString(),
        ...extra,
      },
    });

  if (snapshot.phase === 'incomplete') return { facts, next: previous };
  if (snapshot.phase === 'trial') {
    if (previous?.phase !== 'trial') {
      facts.push({
        messageId: `stripe:${id}:trial:${snapshot.startedAt}`,
        event: 'trial_started',
        timestamp: Math.min(snapshot.startedAt, at),
        properties: {
          ...terms,
          ...(snapshot.trialEnd ? { trialEndsAt: new Date(snapshot.trialEnd).toISOString() } : {}),
          ...extra,
        },
      });
    }
    return { facts, next: current('trial') };
  }

  if (snapshot.phase === 'active') {
    const starting = previous === null || previous.phase !== 'active';
    if (starting) {
      const startAt =
        previous?.phase === 'ended' ? at : Math.min(snapshot.trialEnd ?? snapshot.startedAt, at);
      facts.push({
        messageId: `stripe:${id}:started:${startAt}`,
        event: 'subscription_started',
        timestamp: startAt,
        properties: { ...terms, ...extra },
      });
    } else {
      const changed =
        previous.plan !== terms.plan ||
        previous.mrr !== terms.mrr ||
        previous.seats !== terms.seats ||
        previous.interval !== terms.interval;
      const withdrawn = previous.noticeEndsAt !== null && snapshot.noticeEndsAt === null;
      if (changed || withdrawn) {
        facts.push({
          messageId: `stripe:${changeId}:changed:${id}`,
          event: 'subscription_changed',
          timestamp: at,
          properties: { ...terms, ...extra },
        });
      }
    }
    if (snapshot.noticeEndsAt !== null && snapshot.noticeEndsAt !== previous?.noticeEndsAt) {
      cancellation(snapshot.noticeEndsAt, Math.min(snapshot.canceledAt ?? at, at));
    }
    return { facts, next: current('active') };
  }

  // Ended. A trial that never converted ends without churn.
  if (previous?.phase === 'ended') return { facts, next: previous };
  const endedAt = snapshot.endedAt ?? snapshot.canceledAt ?? at;
  const wasTrial =
    previous?.phase === 'trial' ||
    (previous === null && snapshot.trialEnd !== null && endedAt <= snapshot.trialEnd);
  if (wasTrial) {
    facts.push({
      messageId: `stripe:${id}:trial-ended:${endedAt}`,
      event: 'trial_ended',
      timestamp: endedAt,
      properties: { converted: false, ...terms, ...extra },
    });
    return { facts, next: current('ended') };
  }
  if (previous === null) {
    // First seen already over (a backfill of an old subscription): its whole life at once.
    const startAt = Math.min(snapshot.trialEnd ?? snapshot.startedAt, endedAt);
    facts.push({
      messageId: `stripe:${id}:started:${startAt}`,
      event: 'subscription_started',
      timestamp: startAt,
      properties: { ...terms, ...extra },
    });
  }
  // Ending as noticed adds nothing; ending otherwise (at once, or earlier) is the cancellation.
  if (previous?.noticeEndsAt !== endedAt) {
    cancellation(endedAt, Math.min(snapshot.canceledAt ?? endedAt, endedAt));
  }
  return { facts, next: current('ended') };
}
