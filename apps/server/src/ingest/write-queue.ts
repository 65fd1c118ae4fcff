import type { EventRecord } from './event-record.js';

/** A write waiting for a flush; `Outcome` is what its flush resolves it with. */
export interface PendingWrite<Outcome = unknown> {
  /** The project of every record (a request is authenticated as one project). */
  projectId: string;
  records: EventRecord[];
  /** The lane chosen for it by account (batch-writer.ts). */
  lane: number;
  /** Whether another lane may flush it with its project's other writes (see `WriteQueue`). */
  anyLane: boolean;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The writes waiting for a flush, shared by the writer's lanes, and the projects being flushed.
 *
 * A lane flushes the writes chosen for it (on Postgres and PGlite, the only ones it flushes).
 * A write marked `anyLane` may also be taken by any free lane when no lane is flushing its
 * project: the lane takes the oldest such write with every waiting write of its project, so
 * that with many projects writing at once a project's requests gather into one flush instead
 * of being split over the lanes. When every waiting project is being flushed, a free lane
 * takes its own writes, as on Postgres (with one project, both lanes stay busy). That is the
 * choice on Citus, where a flush is six statements whatever its size (docs/operations.md, "What
 * a flush costs on Citus"): with eight projects and the lanes by account, a flush held one or
 * two requests.
 */
export class WriteQueue<Outcome = unknown> {
  private writes: PendingWrite<Outcome>[] = [];
  /** Flushes in flight, by project. */
  private readonly flushing = new Map<string, number>();

  push(write: PendingWrite<Outcome>): void {
    this.writes.push(write);
  }

  /** Whether `lane` has a write to flush. */
  hasWorkFor(lane: number): boolean {
    return this.writes.some((write) => write.lane === lane || this.free(write));
  }

  /**
   * For `lane`: the write it should flush first and the later ones of the same project it may
   * flush with it, in arrival order, up to `maxEvents` events (a first write larger than that
   * is taken alone). The project counts as being flushed until `done` is called with it.
   */
  take(lane: number, maxEvents: number): PendingWrite<Outcome>[] {
    const gathered = this.writes.find((write) => this.free(write));
    const first = gathered ?? this.writes.find((write) => write.lane === lane);
    if (!first) return [];
    const { projectId } = first;
    const mine = (write: PendingWrite<Outcome>) =>
      write.projectId === projectId && (gathered ? write.anyLane : write.lane === lane);
    const batch: PendingWrite<Outcome>[] = [];
    const rest: PendingWrite<Outcome>[] = [];
    let events = 0;
    let skipped = false;
    for (const next of this.writes) {
      const fits = batch.length === 0 || events + next.records.length <= maxEvents;
      if (mine(next) && fits && !skipped) {
        batch.push(next);
        events += next.records.length;
      } else {
        // A write of the batch's kind left behind keeps the later ones behind it.
        if (mine(next)) skipped = true;
        rest.push(next);
      }
    }
    this.writes = rest;
    this.flushing.set(projectId, (this.flushing.get(projectId) ?? 0) + 1);
    return batch;
  }

  /** A flush of `projectId` taken by `take` has ended. */
  done(projectId: string): void {
    const count = (this.flushing.get(projectId) ?? 1) - 1;
    if (count > 0) this.flushing.set(projectId, count);
    else this.flushing.delete(projectId);
  }

  /** A write any lane may take now: no lane is flushing its project. */
  private free(write: PendingWrite<Outcome>): boolean {
    return write.anyLane && !this.flushing.has(write.projectId);
  }
}
