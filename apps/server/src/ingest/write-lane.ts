import { setImmediate } from 'node:timers/promises';
import type { Db } from '../db/database.types.js';
import type { EventPartitions } from '../db/event-partitions.js';
import { StorageUnavailableError } from '../db/storage-unavailable.error.js';
import type { EventRecord } from './event-record.js';
import { type InsertedKey, writeEvents } from './write-events.sql.js';
import type { PendingWrite, WriteQueue } from './write-queue.js';

export interface UnstorableEvent {
  /** Position of the event in the records handed to `write`. */
  position: number;
  /** What the database said. */
  reason: string;
}

export interface WriteOutcome {
  accepted: number;
  duplicates: number;
  /** Events the database refused although they passed validation; none were written. */
  unstorable: UnstorableEvent[];
}

/** An event a committed flush stored: what the score keeper needs to know of it. */
export interface CommittedEvent {
  projectId: string;
  accountId: string;
  timestamp: string;
  type: EventRecord['type'];
  event: string | null;
}

export interface FlushStats {
  events: number;
  seconds: number;
  ok: boolean;
}

// Deadlocks and serialization failures are transient: the flush is retried as a whole.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/**
 * SQLSTATE classes that blame the data, not the database: data exceptions (22: a value out of
 * range, a failed cast), integrity violations (23) and program limits (54: e.g. an index row
 * too large). One such event must not fail the other requests that share its flush.
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code) && !isMissingPartition(error);
}

/**
 * A partition this process knew of is gone (dropped by an operator, or a database restored
 * without it). Postgres reports that as a check violation (23514), but it blames the
 * database, not the data: the partitions are made again and the flush retried.
 */
function isMissingPartition(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '23514' && /no partition of relation/.test(String(message));
}

/**
 * Group commit, one flush at a time. Writes that arrive while a flush is in flight are written
 * together by the next one, so under load many requests share one statement and one commit,
 * and an idle lane still writes at once. `write` resolves after the commit holding its events.
 *
 * A flush holds one project's writes: the writer's statements name its project on every table
 * they touch, which is what lets Citus send each whole to the shard that holds the project, and
 * keeps their lookups in that project's index ranges on any engine. Writes of other projects
 * wait for the next flush, in arrival order. The lanes of a writer share one queue
 * (write-queue.ts), which says which writes a lane may take.
 */
export class WriteLane {
  private flushing = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly partitions: EventPartitions,
    private readonly queue: WriteQueue<WriteOutcome>,
    /** This lane's number: the writes bound to it are flushed by it only. */
    private readonly index: number,
    private readonly flushEvents: number,
    private readonly onFlush: (stats: FlushStats) => void,
    private readonly onCommit: (events: CommittedEvent[]) => void = () => {},
  ) {}

  /**
   * Writes `records`, which must all belong to one project: by this lane, or if `anyLane` by
   * whichever lane takes it first (write-queue.ts; the caller wakes the other lanes).
   */
  write(records: EventRecord[], anyLane = false): Promise<WriteOutcome> {
    const projectId = records[0]?.project_id ?? '';
    if (records.some((record) => record.project_id !== projectId)) {
      return Promise.reject(new Error('a write holds the records of one project'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ projectId, records, lane: this.index, anyLane, resolve, reject });
      this.wake();
    });
  }

  /** Starts flushing if the lane is idle (it stops again at once if it has nothing to take). */
  wake(): void {
    if (!this.flushing) void this.flushAll();
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
    while (this.queue.hasWorkFor(this.index)) {
      const batch = this.queue.take(this.index, this.flushEvents);
      try {
        await this.flush(batch);
      } finally {
        this.queue.done(batch[0]!.projectId);
      }
      await setImmediate();
    }
    this.flushing = false;
    this.drained?.();
  }

  private async flush(batch: PendingWrite<WriteOutcome>[]) {
    const started = performance.now();
    const events = batch.reduce((sum, write) => sum + write.records.length, 0);
    try {
      const outcomes = await this.writeTogether(batch);
      for (const [i, write] of batch.entries()) write.resolve(outcomes[i]!);
      this.onFlush({ events, seconds: (performance.now() - started) / 1000, ok: true });
    } catch (error) {
      for (const write of batch) write.reject(new StorageUnavailableError(error));
      this.onFlush({ events, seconds: (performance.now() - started) / 1000, ok: false });
    }
  }

  /** One statement for every write of the batch; each new key is credited to its first write. */
  private async writeTogether(batch: PendingWrite<WriteOutcome>[]): Promise<WriteOutcome[]> {
    const projectId = batch[0]!.projectId;
    let inserted: InsertedKey[];
    try {
      inserted = await this.writeWithRetry(
        projectId,
        uniqueRecords(batch.flatMap((write) => write.records)),
      );
    } catch (error) {
      if (!isDataError(error)) throw error;
      // A value got past validation that the database refuses. Write each request on its own,
      // halving until the refused events are found: only they are rejected, nobody else's.
      const outcomes: WriteOutcome[] = [];
      for (const write of batch) {
        outcomes.push(await this.writeIsolating(projectId, write.records, 0));
      }
      return outcomes;
    }
    const fresh = new Set(inserted.map((key) => key.message_id));
    return batch.map(({ records }) => credit(records, fresh));
  }

  private async writeIsolating(
    projectId: string,
    records: EventRecord[],
    offset: number,
  ): Promise<WriteOutcome> {
    try {
      const inserted = await this.writeWithRetry(projectId, uniqueRecords(records));
      return credit(records, new Set(inserted.map((key) => key.message_id)));
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (records.length === 1) {
        const reason = String((error as Error).message).slice(0, 200);
        return { accepted: 0, duplicates: 0, unstorable: [{ position: offset, reason }] };
      }
      const middle = Math.ceil(records.length / 2);
      const first = await this.writeIsolating(projectId, records.slice(0, middle), offset);
      const second = await this.writeIsolating(projectId, records.slice(middle), offset + middle);
      return {
        accepted: first.accepted + second.accepted,
        duplicates: first.duplicates + second.duplicates,
        unstorable: [...first.unstorable, ...second.unstorable],
      };
    }
  }

  private async writeWithRetry(projectId: string, records: EventRecord[]) {
    const inserted = await this.writeRetrying(projectId, records);
    // Committed: report the accounts before the requests are answered. Outside the retry loop,
    // so a failing listener can never make a committed flush be written again.
    this.onCommit(committedEvents(projectId, records, inserted));
    return inserted;
  }

  private async writeRetrying(projectId: string, records: EventRecord[]) {
    const timestamps = records.map((record) => record.timestamp);
    await this.partitions.ensureFor(timestamps);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await writeEvents(this.db, projectId, records);
      } catch (error) {
        const missingPartition = isMissingPartition(error);
        const transient = RETRYABLE.has((error as { code?: string }).code ?? '');
        if (attempt >= MAX_ATTEMPTS || !(transient || missingPartition)) throw error;
        if (missingPartition) {
          this.partitions.forget();
          await this.partitions.ensureFor(timestamps);
        }
      }
    }
  }
}

/** The stored events that belong to an account, with the account they were stored under. */
function committedEvents(
  projectId: string,
  records: EventRecord[],
  inserted: InsertedKey[],
): CommittedEvent[] {
  const accountOf = new Map<string, string>();
  for (const key of inserted) {
    if (key.account_id !== null) accountOf.set(key.message_id, key.account_id);
  }
  if (accountOf.size === 0) return [];
  const events: CommittedEvent[] = [];
  for (const { message_id, timestamp, type, event } of records) {
    const accountId = accountOf.get(message_id);
    if (accountId === undefined) continue;
    events.push({ projectId, accountId, timestamp, type, event });
  }
  return events;
}

/** The first record of each message id (the records are one project's). */
function uniqueRecords(records: EventRecord[]): EventRecord[] {
  const unique = new Map<string, EventRecord>();
  for (const record of records) {
    if (!unique.has(record.message_id)) unique.set(record.message_id, record);
  }
  return [...unique.values()];
}

/** Counts a write's records whose message id is in `fresh`, taking each out as it is credited. */
function credit(records: EventRecord[], fresh: Set<string>): WriteOutcome {
  let accepted = 0;
  for (const record of records) if (fresh.delete(record.message_id)) accepted += 1;
  return { accepted, duplicates: records.length - accepted, unstorable: [] };
}
