import type { Db } from '../../db/database.types.js';
import type { AppliedSubscription } from './subscription-facts.js';

export interface StoredSubscription {
  accountId: string;
  state: AppliedSubscription;
  /** Stripe time (seconds) of the state. */
  version: number;
}

/** The applied state of these subscriptions, by id. */
export async function loadSubscriptions(
  db: Db,
  projectId: string,
  subscriptionIds: readonly string[],
): Promise<Map<string, StoredSubscription>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('stripe_subscriptions')
    .select(['subscription_id', 'account_id', 'state', 'version'])
    .where('project_id', '=', projectId)
    .where('subscription_id', 'in', [...subscriptionIds])
    .execute();
  return new Map(
    rows.map((row) => [
      row.subscription_id,
      {
        accountId: row.account_id,
        state: (typeof row.state === 'string'
          ? JSON.parse(row.state)
          : row.state) as AppliedSubscription,
        version: Number(row.version),
      },
    ]),
  );
}

/** Saves states; a row only moves forward (a newer or equal version). */
export async function saveSubscriptions(
  db: Db,
  projectId: string,
  states: {
    subscriptionId: string;
    accountId: string;
    state: AppliedSubscription;
    version: number;
  }[],
): Promise<void> {
  if (states.length === 0) return;
  await db
    .insertInto('stripe_subscriptions')
    .values(
      states.map((s) => ({
        project_id: projectId,
        subscription_id: s.subscriptionId,
        account_id: s.accountId,
        state: JSON.stringify(s.state),
        version: s.version,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['project_id', 'subscription_id'])
        .doUpdateSet((eb) => ({
          account_id: eb.ref('excluded.account_id'),
          state: eb.ref('excluded.state'),
          version: eb.ref('excluded.version'),
        }))
        .where('stripe_subscriptions.version', '<=', (eb) => eb.ref('excluded.version')),
    )
    .execute();
}

/** Customers' accounts, by customer id. */
export async function loadCustomerAccounts(
  db: Db,
  projectId: string,
  customerIds: readonly string[],
): Promise<Map<string, string>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('stripe_customers')
    .select(['customer_id', 'account_id'])
    .where('project_id', '=', projectId)
    .where('customer_id', 'in', [...customerIds])
    .execute();
  return new Map(rows.map((row) => [row.customer_id, row.account_id]));
}

export async function saveCustomerAccounts(
  db: Db,
  projectId: string,
  customers: { customerId: string; accountId: string }[],
): Promise<void> {
  if (customers.length === 0) return;
  await db
    .insertInto('stripe_customers')
    .values(
      customers.map((c) => ({
        project_id: projectId,
        customer_id: c.customerId,
        account_id: c.accountId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['project_id', 'customer_id'])
        .doUpdateSet((eb) => ({ account_id: eb.ref('excluded.account_id') })),
    )
    .execute();
}

/** Records a Stripe event as handled; false when it already was (a replay). */
export async function markEventHandled(
  db: Db,
  projectId: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('stripe_events')
    .values({ project_id: projectId, event_id: eventId })
    .onConflict((oc) => oc.columns(['project_id', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function isEventHandled(db: Db, projectId: string, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('stripe_events')
    .select('event_id')
    .where('project_id', '=', projectId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
}
