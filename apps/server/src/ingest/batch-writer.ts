import type { Db } from '../db/database.types.js';
import { EventPartitions } from '../db/event-partitions.js';
import { AppError } from '../errors/app-error.js';
import { onCitus } from './citus-writer.sql.js';
import type { EventRecord } from './event-record.js';
import {
  type CommittedEvent,
  type FlushStats,
  WriteLane,
  type WriteOutcome,
} from './write-lane.js';
import { WriteQueue } from './write-queue.js';

export type { CommittedEvent, UnstorableEvent, WriteOutcome } from './write-lane.js';

export interface BatchWriterOptions {
  /** Most events waiting (queued or in flight) before `write` refuses with 503. */
  queueLimit: number;
  /** Most events per flush. */
  flushEvents: number;
  /** Lanes, each with one flush in flight. */
  concurrency: number;
  onFlush?: (stats: FlushStats) => void;
  /**
   * Called with the events of each committed statement, before their requests are answered:
   * it must only take note (the score keeper queues the accounts) and never wait.
   */
  onCommit?: (events: CommittedEvent[]) => void;
  /** Months with partitions of their own; older events go to the catch-all (36 if unset). */
  partitionWindowMonths?: number;
}

/**
 * The ingest writer: group commit over `concurrency` lanes, each with one flush in flight. A
 * request's events stay together in one flush (so "identify, group, track" in one batch is
 * resolved in one statement). On Postgres and PGlite a request goes to the lane of its first
 * account (else user): a browser batch is one user's, so concurrent flushes mostly touch
 * disjoint rollup rows instead of queueing on each other's row locks. On Citus a free lane
 * also takes the waiting writes of a project no lane is flushing, all of them in one flush
 * (write-queue.ts): a flush there costs six statements whatever its size, so with many
 * projects writing at once the flushes would otherwise stay small. The queue is bounded: beyond `queueLimit` events,
 * `write` refuses with 503 `overloaded` and memory stays flat.
 */
export class BatchWriter {
  private readonly lanes: WriteLane[];
  private queuedEvents = 0;
  private closed = false;

  constructor(
    private readonly db: Db,
    options: BatchWriterOptions,
  ) {
    const partitions = new EventPartitions(db, options.partitionWindowMonths);
    const onFlush = options.onFlush ?? (() => {});
    const queue = new WriteQueue<WriteOutcome>();
    this.lanes = Array.from(
      { length: options.concurrency },
      (_, index) =>
        new WriteLane(db, partitions, queue, index, options.flushEvents, onFlush, options.onCommit),
    );
    this.queueLimit = options.queueLimit;
  }

  private readonly queueLimit: number;

  /** Events waiting or being written. */
  get depth(): number {
    return this.queuedEvents;
  }

  async write(records: EventRecord[]): Promise<WriteOutcome> {
    if (records.length === 0) return { accepted: 0, duplicates: 0, unstorable: [] };
    if (this.closed) throw new AppError('shutting_down');
    if (this.queuedEvents + records.length > this.queueLimit) throw new AppError('overloaded');
    this.queuedEvents += records.length;
    try {
      // Where Citus cannot be asked about (the database is down), the lanes as on Postgres:
      // the flush will report the outage.
      const anyLane = this.lanes.length > 1 && (await onCitus(this.db).catch(() => false));
      const written = this.lanes[this.laneOf(records[0]!)]!.write(records, anyLane);
      if (anyLane) for (const lane of this.lanes) lane.wake();
      return await written;
    } finally {
      this.queuedEvents -= records.length;
    }
  }

  /** Refuses new writes and resolves once everything accepted so far is committed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.lanes.map((lane) => lane.drain()));
  }

  private laneOf(record: EventRecord): number {
    if (this.lanes.length === 1) return 0;
    const owner = record.account_id ?? record.user_id ?? record.anonymous_id ?? record.message_id;
    return hash(`${record.project_id}\u0000${owner}`) % this.lanes.length;
  }
}

/** FNV-1a: a fast, stable string hash for lane assignment. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
