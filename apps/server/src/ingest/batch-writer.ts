import type { Db } from '../db/database.types.js';
import { EventPartitions } from '../db/event-partitions.js';
import { AppError } from '../http/app-error.js';
import type { EventRecord } from './event-record.js';
import { writeEvents } from './write-events.sql.js';

export interface WriteOutcome {
  accepted: number;
  duplicates: number;
}

export interface BatchWriterOptions {
  /** Most events waiting (queued or in flight) before `write` refuses with 503. */
  queueLimit: number;
  /** Most events per flush; a request's events always share one flush. */
  flushEvents: number;
  /** Flushes in flight at once. */
  concurrency: number;
  onFlush?: (stats: { events: number; seconds: number; ok: boolean }) => void;
}

interface PendingWrite {
  records: EventRecord[];
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

// Deadlocks and serialization failures are transient: the flush is retried as a whole.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/**
 * Group commit. Requests hand their events to `write`; whatever accumulates while earlier
 * flushes are in flight is written together by the next one, so under load many requests share
 * one statement and one commit, and an idle server still writes at once. `write` resolves only
 * after the commit that holds the request's events.
 */
export class BatchWriter {
  private pending: PendingWrite[] = [];
  private queuedEvents = 0;
  private inFlight = 0;
  private closed = false;
  private readonly partitions: EventPartitions;
  private idle: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: BatchWriterOptions,
  ) {
    this.partitions = new EventPartitions(db);
  }

  /** Events waiting or being written. */
  get depth(): number {
    return this.queuedEvents;
  }

  write(records: EventRecord[]): Promise<WriteOutcome> {
    if (records.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 });
    if (this.closed) throw new AppError('shutting_down');
    if (this.queuedEvents + records.length > this.options.queueLimit) {
      throw new AppError('overloaded');
    }
    this.queuedEvents += records.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      this.schedule();
    });
  }

  /** Refuses new writes and resolves once everything accepted so far is committed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queuedEvents === 0) return;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
    });
  }

  private schedule() {
    while (this.inFlight < this.options.concurrency && this.pending.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queuedEvents === 0) this.idle?.();
        this.schedule();
      });
    }
  }

  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = [];
    let events = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0]!;
      if (batch.length > 0 && events + next.records.length > this.options.flushEvents) break;
      batch.push(this.pending.shift()!);
      events += next.records.length;
    }
    return batch;
  }

  private async flush(batch: PendingWrite[]) {
    const started = performance.now();
    const unique = new Map<string, EventRecord>();
    for (const { records } of batch) {
      for (const record of records) {
        const key = keyOf(record);
        if (!unique.has(key)) unique.set(key, record);
      }
    }
    const total = batch.reduce((sum, write) => sum + write.records.length, 0);
    try {
      const inserted = await this.writeWithRetry([...unique.values()]);
      const fresh = new Set(inserted.map(keyOf));
      for (const write of batch) {
        let accepted = 0;
        for (const record of write.records) {
          // Each new key is credited once, to the first request that carried it.
          if (fresh.delete(keyOf(record))) accepted += 1;
        }
        write.resolve({ accepted, duplicates: write.records.length - accepted });
      }
      this.options.onFlush?.({ events: total, seconds: secondsSince(started), ok: true });
    } catch (error) {
      for (const write of batch)
        write.reject(new AppError('storage_unavailable', { cause: error }));
      this.options.onFlush?.({ events: total, seconds: secondsSince(started), ok: false });
    } finally {
      this.queuedEvents -= total;
    }
  }

  private async writeWithRetry(records: EventRecord[]) {
    await this.partitions.ensureFor(records.map((record) => record.timestamp));
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await writeEvents(this.db, records);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
      }
    }
  }
}

function keyOf(record: { project_id: string; message_id: string }) {
  return `${record.project_id}\u0000${record.message_id}`;
}

function secondsSince(started: number) {
  return (performance.now() - started) / 1000;
}
