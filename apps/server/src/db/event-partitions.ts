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

/**
 * Creates the monthly partitions of `events` on first use. Known partitions are cached, so the
 * hot path costs a set lookup. Another process may create the same partition at the same time;
 * losing that race is fine.
 */
export class EventPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  async ensureFor(isoTimestamps: Iterable<string>): Promise<void> {
    const missing = new Map<string, ReturnType<typeof partitionOf>>();
    for (const timestamp of isoTimestamps) {
      const key = timestamp.slice(0, 7);
      if (this.known.has(key) || missing.has(key)) continue;
      missing.set(key, partitionOf(timestamp));
    }
    for (const [key, partition] of missing) {
      await this.create(partition);
      this.known.add(key);
    }
  }

  /** Forgets the known partitions, so the next writes check (and create) them again. */
  forget(): void {
    this.known.clear();
  }

  private async create({ name, from, to }: ReturnType<typeof partitionOf>) {
    try {
      await sql`
        create table if not exists ${sql.id(name)} partition of events
        for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(this.db);
    } catch (error) {
      const exists = await sql<{ found: boolean }>`
        select to_regclass(${name}) is not null as found`.execute(this.db);
      if (!exists.rows[0]?.found) throw error;
    }
  }
}
