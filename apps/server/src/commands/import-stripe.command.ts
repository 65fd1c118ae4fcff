import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { ImportError } from '../import/import-error.js';
import { ImportProgress } from '../import/import-progress.js';
import { BatchWriter } from '../ingest/batch-writer.js';
import { backfillStripe } from '../integrations/stripe/stripe-backfill.js';
import { getStripeSettings } from '../integrations/stripe/stripe-settings.sql.js';
import type { Command } from './command.js';
import { openMigratedDatabase } from './open-project-database.js';
import { UsageError } from './usage-error.js';

const options = {
  project: { type: 'string' },
  'state-dir': { type: 'string', default: '.tenure-import' },
  restart: { type: 'boolean', default: false },
} as const;

const USAGE = `Usage: tenure import stripe --project P [--state-dir DIR] [--restart]

Backfills a project's subscriptions from Stripe (docs/import.md, "Stripe"): every subscription,
its customer's metadata for the account, applied as the webhook would, page by page with a
checkpoint after each committed page; a second run adds nothing. Reads STRIPE_API_KEY from the
environment (a restricted key that reads subscriptions and customers is enough) and writes to
the configured database (DATABASE_URL / TENURE_DATA_DIR).
  --project P          The project to fill (required)
  --state-dir DIR      Checkpoints (default .tenure-import)
  --restart            Ignore a checkpoint and list from the start
Exit code: 0 done, 3 facts were rejected, 130 interrupted, 1 error, 2 a wrong command line.`;

/** The official client; STRIPE_API_BASE points it elsewhere (a proxy, a local benchmark). */
export function stripeClient(apiKey: string, apiBase = process.env.STRIPE_API_BASE): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  return new Stripe(apiKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 3,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
}

/**
 * `tenure import stripe --project P`: backfills the project's subscriptions from Stripe
 * (STRIPE_API_KEY, a restricted read-only key is enough), resumable and exactly once.
 */
async function importStripe(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options });
  if (!values.project) throw new UsageError('--project is required');
  const apiKey = process.env.STRIPE_API_KEY;
  if (!apiKey)
    throw new ImportError(
      'Set STRIPE_API_KEY (a restricted key that reads subscriptions and customers)',
    );
  const database = await openMigratedDatabase();
  const projectId = values.project;
  const writer = new BatchWriter(database.db, {
    queueLimit: 100_000,
    flushEvents: 5_000,
    concurrency: database.engine === 'pglite' ? 1 : 2,
  });
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  try {
    const project = await database.db
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw new ImportError(`There is no project ${projectId} in this database`);
    const settings = await getStripeSettings(database.db, projectId);
    const progress = new ImportProgress();
    const snapshot = (totals: {
      subscriptions: number;
      accepted: number;
      duplicates: number;
      rejected: number;
    }) => ({
      file: 'stripe',
      totals: { rows: totals.subscriptions, ...totals },
      bytesRead: 0,
      totalBytes: null,
    });
    const result = await backfillStripe({
      stripe: stripeClient(apiKey),
      context: { db: database.db, writer, projectId, settings },
      stateDir: values['state-dir'],
      resume: !values.restart,
      signal: interrupt.signal,
      onPage: (totals) => progress.update(snapshot(totals)),
    });
    progress.finish();
    const { totals } = result;
    const resumed = result.resumedAfter ? ` (resumed after ${result.resumedAfter})` : '';
    const state = result.interrupted ? 'interrupted; run the same command to resume' : 'done';
    console.log(
      `stripe: ${state}${resumed}: ${totals.subscriptions.toLocaleString('en-US')} subscriptions, ` +
        `${totals.accepted.toLocaleString('en-US')} facts accepted, ` +
        `${totals.duplicates.toLocaleString('en-US')} duplicates, ` +
        `${totals.rejected.toLocaleString('en-US')} rejected`,
    );
    if (result.interrupted) return 130;
    return totals.rejected > 0 ? 3 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    await writer.close();
    await database.close();
  }
}

export const importStripeCommand: Command = {
  name: 'import stripe',
  summary: 'Backfill subscriptions from Stripe into a project (STRIPE_API_KEY)',
  usage: USAGE,
  options,
  run: importStripe,
};
