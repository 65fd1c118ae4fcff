import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { applySubscriptionUpdates, type StripeContext } from './apply-stripe-objects.js';
import type { StripeSubscription } from './stripe-objects.types.js';

export interface BackfillTotals {
  subscriptions: number;
  facts: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

interface BackfillCheckpoint {
  version: 1;
  projectId: string;
  /** The listing's time (seconds): the version and change id of every state it sets. */
  runAt: number;
  /** The last subscription of the last committed page: the next page starts after it. */
  startingAfter: string | null;
  totals: BackfillTotals;
}

export interface BackfillOptions {
  stripe: Stripe;
  context: StripeContext;
  stateDir: string;
  /** false: ignore a checkpoint and list from the start. */
  resume?: boolean;
  signal?: AbortSignal;
  onPage?: (totals: BackfillTotals) => void;
}

export interface BackfillResult {
  totals: BackfillTotals;
  interrupted: boolean;
  resumedAfter: string | null;
}

const PAGE_SIZE = 100;

/**
 * `tenure import stripe`: pages through every subscription (any status, customers expanded for
 * their metadata) with the official client and applies each as an update seen at the run's
 * start, through the same mapping as the webhook. A page is committed, then the checkpoint moves
 * past it (written atomically); the next page is fetched while one is written. Exactly once: the
 * facts' ids come from the subscriptions and Stripe's own times, so a resumed or repeated
 * backfill (and a webhook for the same start or notice) stores nothing twice.
 */
export async function backfillStripe(options: BackfillOptions): Promise<BackfillResult> {
  const { stripe, context, signal } = options;
  const path = join(options.stateDir, `stripe-${context.projectId}.json`);
  await mkdir(options.stateDir, { recursive: true });
  const saved =
    options.resume === false
      ? null
      : ((await readFile(path, 'utf8').then(JSON.parse, () => null)) as BackfillCheckpoint | null);
  const checkpoint: BackfillCheckpoint =
    saved?.version === 1 && saved.projectId === context.projectId
      ? saved
      : {
          version: 1,
          projectId: context.projectId,
          runAt: Math.floor(Date.now() / 1000),
          startingAfter: null,
          totals: { subscriptions: 0, facts: 0, accepted: 0, duplicates: 0, rejected: 0 },
        };
  const resumedAfter = checkpoint.startingAfter;
  const list = (startingAfter: string | null) => {
    const page = stripe.subscriptions.list({
      status: 'all',
      limit: PAGE_SIZE,
      expand: ['data.customer'],
      ...(startingAfter ? { starting_after: startingAfter } : {}),
    });
    // A page fetched ahead may fail while the previous one is written: it is awaited (and
    // throws) in its turn, or never, when the write failed first.
    page.catch(() => {});
    return page;
  };

  let next = list(checkpoint.startingAfter);
  for (;;) {
    const page = await next;
    const last = page.data[page.data.length - 1];
    // Fetch ahead: Stripe answers the next page while this one is written.
    if (page.has_more && last) next = list(last.id);
    const outcome = await applySubscriptionUpdates(
      context,
      page.data.map((subscription) => ({
        subscription: subscription as unknown as StripeSubscription,
        atSeconds: checkpoint.runAt,
        changeId: `backfill-${checkpoint.runAt}`,
      })),
    );
    const { totals } = checkpoint;
    totals.subscriptions += page.data.length;
    totals.facts += outcome.facts;
    totals.accepted += outcome.accepted;
    totals.duplicates += outcome.duplicates;
    totals.rejected += outcome.rejected.length;
    if (last) checkpoint.startingAfter = last.id;
    await writeFile(`${path}.tmp`, JSON.stringify(checkpoint));
    await rename(`${path}.tmp`, path);
    options.onPage?.(totals);
    if (!page.has_more || !last) break;
    if (signal?.aborted) {
      return { totals, interrupted: true, resumedAfter };
    }
  }
  await rm(path, { force: true });
  return { totals: checkpoint.totals, interrupted: false, resumedAfter };
}
