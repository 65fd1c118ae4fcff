import {
  type ApplyOutcome,
  applyCustomer,
  applyInvoicePaid,
  applySubscriptionUpdates,
  type StripeContext,
} from './apply-stripe-objects.js';
import type {
  StripeCustomer,
  StripeEvent,
  StripeInvoice,
  StripeSubscription,
} from './stripe-objects.types.js';
import { isEventHandled, markEventHandled } from './stripe-state.sql.js';

export type EventOutcome = 'applied' | 'replayed' | 'stale' | 'ignored';

export interface HandledEvent extends ApplyOutcome {
  outcome: EventOutcome;
}

const NOTHING = { facts: 0, accepted: 0, duplicates: 0, stale: 0, rejected: [] };

// One event at a time per project: two deliveries about one subscription must not both read
// the same previous state. (One process; several servers behind a balancer may interleave two
// deliveries, and the versions still keep the newest state.)
const queues = new Map<string, Promise<unknown>>();

function serially<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.then(
    () => {},
    () => {},
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

async function apply(context: StripeContext, event: StripeEvent): Promise<ApplyOutcome | null> {
  const object = event.data.object;
  if (event.type.startsWith('customer.subscription.')) {
    return applySubscriptionUpdates(context, [
      { subscription: object as StripeSubscription, atSeconds: event.created, changeId: event.id },
    ]);
  }
  if (event.type === 'customer.created' || event.type === 'customer.updated') {
    return applyCustomer(context, object as StripeCustomer, event.created, event.id);
  }
  if (event.type === 'invoice.paid') {
    return applyInvoicePaid(context, object as StripeInvoice, event.created);
  }
  return null;
}

/**
 * Handles one verified Stripe event exactly once: an event id already handled is a replay and
 * changes nothing; the event is recorded as handled only after its facts are committed.
 */
export function handleStripeEvent(
  context: StripeContext,
  event: StripeEvent,
): Promise<HandledEvent> {
  return serially(context.projectId, async () => {
    if (await isEventHandled(context.db, context.projectId, event.id)) {
      return { outcome: 'replayed', ...NOTHING };
    }
    const outcome = await apply(context, event);
    await markEventHandled(context.db, context.projectId, event.id);
    if (!outcome) return { outcome: 'ignored', ...NOTHING };
    return { outcome: outcome.stale > 0 ? 'stale' : 'applied', ...outcome };
  });
}
