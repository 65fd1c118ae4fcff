import type { RejectedEvent } from '@tenure/schema';
import type { Db } from '../../db/database.types.js';
import type { BatchWriter } from '../../ingest/batch-writer.js';
import { storeBatch } from '../../ingest/store-batch.js';
import type { StripeCustomer, StripeInvoice, StripeSubscription } from './stripe-objects.types.js';
import type { StripeSettings } from './stripe-settings.sql.js';
import {
  loadCustomerAccounts,
  loadSubscriptions,
  saveCustomerAccounts,
  saveSubscriptions,
} from './stripe-state.sql.js';
import { type SubscriptionFact, subscriptionFacts } from './subscription-facts.js';
import { subscriptionSnapshot } from './subscription-snapshot.js';

export interface StripeContext {
  db: Db;
  writer: BatchWriter;
  projectId: string;
  settings: StripeSettings;
}

/** A subscription as Stripe showed it at `atSeconds` (an event's time, or a listing's). */
export interface SubscriptionUpdate {
  subscription: StripeSubscription;
  atSeconds: number;
  /** Names the changes it makes: the Stripe event id, or the backfill's run. */
  changeId: string;
}

export interface ApplyOutcome {
  facts: number;
  /** Of the facts: newly stored, and already there (a replay or a second backfill). */
  accepted: number;
  duplicates: number;
  /** Updates older than the state already applied: ignored, nothing rolled back. */
  stale: number;
  rejected: RejectedEvent[];
}

/** The account a customer maps to by the settings, from metadata when it has the key. */
function accountFromMetadata(
  settings: StripeSettings,
  ...sources: (Record<string, string> | null | undefined)[]
): string | undefined {
  if (settings.accountFrom === 'customer') return undefined;
  for (const metadata of sources) {
    const value = metadata?.[settings.metadataKey];
    if (value) return value;
  }
  return undefined;
}

const customerOf = (value: string | StripeCustomer | null | undefined) =>
  value && typeof value === 'object' ? value : null;
const customerIdOf = (value: string | StripeCustomer | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Tenure messages for facts: server-side track events on the account, by the customer. */
function factMessages(facts: SubscriptionFact[], accountId: string, customerId: string) {
  return facts.map((fact) => ({
    type: 'track',
    messageId: fact.messageId,
    event: fact.event,
    anonymousId: `stripe:${customerId}`,
    timestamp: new Date(fact.timestamp).toISOString(),
    context: { groupId: accountId },
    properties: fact.properties,
  }));
}

/**
 * Applies subscription updates (a webhook's one, or a backfill page of 100): resolves each
 * customer's account (subscription metadata, customer metadata, a customer seen before, else the
 * customer id), compares with the state applied before (an older update is stale and ignored:
 * Stripe may deliver events out of order, and a late one must not roll state back), writes the
 * facts through the API's validation and writer, then moves the state forward. Killed between
 * the two, the next attempt derives the same facts with the same ids: duplicates, not doubles.
 */
export async function applySubscriptionUpdates(
  context: StripeContext,
  updates: readonly SubscriptionUpdate[],
): Promise<ApplyOutcome> {
  const { db, projectId, settings } = context;
  const customerIds = [...new Set(updates.map((u) => customerIdOf(u.subscription.customer)!))];
  const known = await loadCustomerAccounts(db, projectId, customerIds);
  const stored = await loadSubscriptions(
    db,
    projectId,
    updates.map((u) => u.subscription.id),
  );
  const learned = new Map<string, string>();
  const messages: Record<string, unknown>[] = [];
  const states = new Map<string, Parameters<typeof saveSubscriptions>[2][number]>();
  let stale = 0;
  let factCount = 0;
  for (const { subscription, atSeconds, changeId } of updates) {
    const customer = customerOf(subscription.customer);
    const customerId = customerIdOf(subscription.customer)!;
    const previous = states.get(subscription.id) ?? stored.get(subscription.id);
    if (previous && previous.version > atSeconds) {
      stale += 1;
      continue;
    }
    const fromMetadata = accountFromMetadata(settings, subscription.metadata, customer?.metadata);
    if (fromMetadata && customer) learned.set(customerId, fromMetadata);
    const accountId =
      fromMetadata ??
      (settings.accountFrom === 'metadata' ? known.get(customerId) : undefined) ??
      previous?.accountId ??
      customerId;
    const snapshot = subscriptionSnapshot(subscription, atSeconds);
    const { facts, next } = subscriptionFacts(
      previous?.state ?? null,
      snapshot,
      atSeconds * 1000,
      changeId,
    );
    factCount += facts.length;
    messages.push(...factMessages(facts, accountId, customerId));
    if (next) {
      states.set(subscription.id, {
        subscriptionId: subscription.id,
        accountId,
        state: next,
        version: atSeconds,
      });
    }
  }
  const written = await writeMessages(context, messages);
  await saveCustomerAccounts(
    db,
    projectId,
    [...learned].map(([customerId, accountId]) => ({ customerId, accountId })),
  );
  await saveSubscriptions(db, projectId, [...states.values()]);
  return { facts: factCount, stale, ...written };
}

async function writeMessages(
  context: StripeContext,
  messages: Record<string, unknown>[],
): Promise<Pick<ApplyOutcome, 'accepted' | 'duplicates' | 'rejected'>> {
  if (messages.length === 0) return { accepted: 0, duplicates: 0, rejected: [] };
  // Server scope: these revenue facts come from Stripe itself (a signed webhook or the API).
  const { accepted, duplicates, rejected } = await storeBatch(
    context.writer,
    context.projectId,
    'server',
    { batch: messages },
  );
  return { accepted, duplicates, rejected };
}

const NOTHING: ApplyOutcome = { facts: 0, accepted: 0, duplicates: 0, stale: 0, rejected: [] };

/**
 * A customer created or updated: remembers its account (so later subscription events without
 * metadata find it) and sets the account's name and email as traits with a group call.
 */
export async function applyCustomer(
  context: StripeContext,
  customer: StripeCustomer,
  atSeconds: number,
  eventId: string,
): Promise<ApplyOutcome> {
  if (customer.deleted) return NOTHING;
  const accountId = accountFromMetadata(context.settings, customer.metadata) ?? customer.id;
  await saveCustomerAccounts(context.db, context.projectId, [
    { customerId: customer.id, accountId },
  ]);
  const traits: Record<string, unknown> = { stripeCustomerId: customer.id };
  if (customer.name) traits.name = customer.name;
  if (customer.email) traits.email = customer.email;
  const written = await writeMessages(context, [
    {
      type: 'group',
      messageId: `stripe:${eventId}`,
      groupId: accountId,
      anonymousId: `stripe:${customer.id}`,
      timestamp: new Date(atSeconds * 1000).toISOString(),
      traits,
    },
  ]);
  return { facts: 1, stale: 0, ...written };
}

/**
 * A paid renewal invoice (`billing_reason: subscription_cycle`) is `subscription_renewed` on
 * the subscription's current terms, at the start of the period it pays for.
 */
export async function applyInvoicePaid(
  context: StripeContext,
  invoice: StripeInvoice,
  atSeconds: number,
): Promise<ApplyOutcome> {
  if (invoice.billing_reason !== 'subscription_cycle') return NOTHING;
  const reference = invoice.subscription ?? invoice.parent?.subscription_details?.subscription;
  const subscriptionId = typeof reference === 'string' ? reference : reference?.id;
  if (!subscriptionId) return NOTHING;
  const stored = (await loadSubscriptions(context.db, context.projectId, [subscriptionId])).get(
    subscriptionId,
  );
  if (!stored) return NOTHING;
  if (stored.state.phase !== 'active') return NOTHING;
  const periodStart =
    invoice.lines?.data?.[0]?.period?.start ??
    invoice.period_start ??
    invoice.status_transitions?.paid_at ??
    atSeconds;
  const { plan, mrr, seats, interval } = stored.state;
  const customerId = customerIdOf(invoice.customer) ?? 'unknown';
  const written = await writeMessages(
    context,
    factMessages(
      [
        {
          messageId: `stripe:${invoice.id}:renewed`,
          event: 'subscription_renewed',
          timestamp: periodStart * 1000,
          properties: { plan, mrr, seats, interval, stripeSubscriptionId: subscriptionId },
        },
      ],
      stored.accountId,
      customerId,
    ),
  );
  return { facts: 1, stale: 0, ...written };
}
