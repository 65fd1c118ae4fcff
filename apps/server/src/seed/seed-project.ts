import { LIMITS, type Message } from '@tenure/schema';
import type { EventRecord } from '../ingest/event-record.js';
import { prepareBatch } from '../ingest/prepare-batch.js';
import { type GenerateOptions, generateAccounts } from './generate-accounts.js';

/** The part of the batch writer seeding needs (`app.services.writer` or a `BatchWriter`). */
export interface EventWriter {
  write(records: EventRecord[]): Promise<{ accepted: number; duplicates: number }>;
}

export interface SeedSummary {
  accounts: number;
  events: number;
  accepted: number;
  duplicates: number;
  /** Accounts that cancelled inside the window. */
  cancelled: number;
  /** Accounts on the decay path (some not cancelled yet: the ones at risk now). */
  decaying: number;
  seconds: number;
}

/** Events per write: one flush of the writer (TENURE_WRITER_FLUSH_EVENTS default). */
const WRITE_EVENTS = 5_000;
/** Writes in flight: the next chunk is prepared while the database writes the previous one. */
const IN_FLIGHT = 2;

/**
 * Generates accounts and writes them into a project through the real ingest path: each chunk is
 * validated and turned into records by `prepareBatch` (as `POST /v1/batch` does) and committed
 * by the batch writer, which maintains every rollup. Message ids are deterministic, so running
 * it twice with the same seed adds nothing.
 *
 * @example
 * await seedProject(app.services.writer, projectId, { accounts: 200, days: 180, seed: 1 });
 */
export async function seedProject(
  writer: EventWriter,
  projectId: string,
  options: GenerateOptions & {
    /** Called after each account's events are queued, with the number queued so far. */
    onAccount?: ((done: number) => void) | undefined;
    /** Stops between accounts, after the writes in flight end (rejecting with the reason). */
    signal?: AbortSignal | undefined;
  },
): Promise<SeedSummary> {
  const started = performance.now();
  const summary = { accounts: 0, events: 0, accepted: 0, duplicates: 0, cancelled: 0, decaying: 0 };
  const inFlight = new Set<Promise<void>>();
  const pending: Message[] = [];

  const flush = async () => {
    const messages = pending.splice(0, WRITE_EVENTS);
    const records: EventRecord[] = [];
    for (let i = 0; i < messages.length; i += LIMITS.maxBatchEvents) {
      const batch = messages.slice(i, i + LIMITS.maxBatchEvents);
      // Seeding runs inside the server with the operator's authority: revenue facts included.
      const prepared = prepareBatch({ batch }, projectId, new Date(), 'server');
      if (prepared.rejected.length > 0) {
        throw new Error(`Generated an invalid event: ${JSON.stringify(prepared.rejected[0])}`);
      }
      records.push(...prepared.records);
    }
    const write = writer.write(records).then((outcome) => {
      summary.accepted += outcome.accepted;
      summary.duplicates += outcome.duplicates;
    });
    const tracked = write.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };

  for (const { profile, messages } of generateAccounts(options)) {
    if (options.signal?.aborted) {
      await Promise.allSettled(inFlight);
      options.signal.throwIfAborted();
    }
    summary.accounts += 1;
    summary.events += messages.length;
    if (profile.cancelDay < options.days) summary.cancelled += 1;
    if (profile.fate === 'decaying') summary.decaying += 1;
    for (const message of messages) pending.push(message);
    while (pending.length >= WRITE_EVENTS) await flush();
    options.onAccount?.(summary.accounts);
  }
  while (pending.length > 0) await flush();
  await Promise.all(inFlight);
  return { ...summary, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
