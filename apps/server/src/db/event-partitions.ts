import { sql } from 'kysely';
import type { Db } from './database.types.js';

/** `events_y2026m11` for any instant in November 2026 (UTC). */
export function partitionOf(isoTimestamp: string): { name: string; from: string; to: string } {
  const year = Number(isoTimestamp.slice(0, 4));
  const month = Number(isoTimestamp.slice(5, 7));
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    name: `events_y${year}m${pad(month)}`,
    from: `${year}-${pad(month)}-01T00:00:00Z`,
    to: `${next.year}-${pad(next.month)}-01T00:00:00Z`,
  };
}

/** Events older than the window go to this one partition (Postgres's DEFAULT partition). */
export const CATCH_ALL_PARTITION = 'events_default';

/** The first month (`2024-12`) inside a window of `months` ending at `now`. */
export function oldestWindowMonth(now: number, months: number): string {
  const date = new Date(now);
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - months + 1);
  return date.toISOString().slice(0, 7);
}

/**
 * Creates the monthly partitions of `events` on first use. Known partitions are cached, so the
 * hot path costs a set lookup. Another process may create the same partition at the same time;
 * losing that race is fine.
 *
 * Only months inside the last `windowMonths` get a partition of their own; older events go to
 * one catch-all partition. Timestamps are the client's, so without the window one request with
 * a public key could create a partition for every month back to 2000 (36 in 1.2 s, stalling
 * ingest alongside, #15). With it, a client creates at most one new partition a month of wall
 * time. History imports land in the catch-all, which queries read like any partition.
 */
export class EventPartitions {
  private readonly known = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly windowMonths = 36,
    private readonly now: () => number = Date.now,
  ) {}

  async ensureFor(isoTimestamps: Iterable<string>): Promise<void> {
    const oldest = oldestWindowMonth(this.now(), this.windowMonths);
    const missing = new Map<string, ReturnType<typeof partitionOf> | undefined>();
    for (const timestamp of isoTimestamps) {
      const month = timestamp.slice(0, 7);
      const key = month < oldest ? CATCH_ALL_PARTITION : month;
      if (this.known.has(key) || missing.has(key)) continue;
      missing.set(key, key === CATCH_ALL_PARTITION ? undefined : partitionOf(timestamp));
    }
    for (const [key, partition] of missing) {
      await (partition ? this.create(partition) : this.createCatchAll());
      this.known.add(key);
    }
  }

  /** Forgets the known partitions, so the next writes check (and create) them again. */
  forget(): void {
    this.known.clear();
  }

  private async createCatchAll() {
    await this.createOr(
      CATCH_ALL_PARTITION,
      sql`create table if not exists ${sql.id(CATCH_ALL_PARTITION)} partition of events default`,
    );
  }

  private async create({ name, from, to }: ReturnType<typeof partitionOf>) {
    await this.createOr(
      name,
      sql`
        create table if not exists ${sql.id(name)} partition of events
        for values from (${sql.lit(from)}) to (${sql.lit(to)})`,
    );
  }

  /**
   * Runs the statement; a failure is fine when the table exists after all (another process
   * won the race) or when the catch-all exists: a month that already has rows there (the window
   * was widened) cannot get its own partition, and its events keep going to the catch-all.
   */
  private async createOr(name: string, statement: ReturnType<typeof sql>) {
    try {
      await statement.execute(this.db);
    } catch (error) {
      const exists = await sql<{ found: boolean; catchAll: boolean }>`
        select to_regclass(${name}) is not null as found,
          to_regclass(${CATCH_ALL_PARTITION}) is not null as "catchAll"`.execute(this.db);
      const row = exists.rows[0];
      if (!row?.found && !row?.catchAll) throw error;
    }
  }
}
