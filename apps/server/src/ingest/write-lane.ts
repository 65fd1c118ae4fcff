import { setImmediate } from 'node:timers/promises';
import type { Db } from '../db/database.types.js';
import type { EventPartitions } from '../db/event-partitions.js';
import { AppError } from '../http/app-error.js';
import type { EventRecord } from './event-record.js';
import { writeEvents } from './write-events.sql.js';

export interface WriteOutcome {
  accepted: number;
  duplicates: number;
}

export interface FlushStats {
  events: number;
  seconds: number;
  ok: boolean;
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
 * Group commit, one flush at a time. Writes that arrive while a flush is in flight are written
 * together by the next one, so under load many requests share one statement and one commit,
 * and an idle lane still writes at once. `write` resolves after the commit holding its events.
 */
export class WriteLane {
  private pending: PendingWrite[] = [];
  private flushing = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly partitions: EventPartitions,
    private readonly flushEvents: number,
    private readonly onFlush: (stats: FlushStats) => void,
  ) {}

  write(records: EventRecord[]): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      if (!this.flushing) void this.flushAll();
    });
  }

  /** Resolves once every write handed to the lane so far is committed (or failed). */
  drain(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  private async flushAll() {
    this.flushing = true;
    // Before choosing a batch, let the event loop read the requests that arrived meanwhile.
    // PGlite runs a statement synchronously on this thread, so without the yield the requests
    // that came in during a flush are still unread when it ends, and every flush would hold
    // just the one request that started it: 100-event flushes instead of thousands.
    await setImmediate();
    while (this.pending.length > 0) {
      await this.flush(this.takeBatch());
      await setImmediate();
    }
    this.flushing = false;
    this.drained?.();
  }

  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = [];
    let events = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0]!;
      if (batch.length > 0 && events + next.records.length > this.flushEvents) break;
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
    const events = batch.reduce((sum, write) => sum + write.records.length, 0);
    try {
      const inserted = await this.writeWithRetry([...unique.values()]);
      const fresh = new Set(inserted.map(keyOf));
      for (const write of batch) {
        let accepted = 0;
        for (const record of write.records) {
          // Each new key is credited once, to the first write that carried it.
          if (fresh.delete(keyOf(record))) accepted += 1;
        }
        write.resolve({ accepted, duplicates: write.records.length - accepted });
      }
      this.onFlush({ events, seconds: (performance.now() - started) / 1000, ok: true });
    } catch (error) {
      for (const write of batch)
        write.reject(new AppError('storage_unavailable', { cause: error }));
      this.onFlush({ events, seconds: (performance.now() - started) / 1000, ok: false });
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

export function keyOf(record: { project_id: string; message_id: string }) {
  return `${record.project_id}\u0000${record.message_id}`;
}
