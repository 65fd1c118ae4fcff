import { sql } from 'kysely';
import type { Db } from '../db/database.types.js';

export interface StorageLog {
  error(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/**
 * Tracks database outages, so that an outage is logged once, not once per request. The first
 * failure logs it and starts a probe (`select 1` every `probeMs`); the first success logs the
 * recovery with its length. Nothing has to restart: the pool reconnects by itself, and requests
 * answer 503 `storage_unavailable` until then.
 */
export class StorageHealth {
  private downSince: number | undefined;
  private failures = 0;
  private probe: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: () => StorageLog,
    private readonly probeMs = 1_000,
  ) {}

  get available(): boolean {
    return this.downSince === undefined;
  }

  /** A request or job could not reach the database. */
  reportFailure(error: unknown): void {
    this.failures += 1;
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.failures = 1;
    const reason = error instanceof Error ? error.message : String(error);
    this.log().error(
      { reason },
      'database unreachable: answering 503 storage_unavailable until it is back',
    );
    this.probe = setInterval(() => void this.check(), this.probeMs);
    this.probe.unref();
  }

  /** The database answered (readiness probe, or the outage probe). */
  reportSuccess(): void {
    if (this.downSince === undefined) return;
    const seconds = (Date.now() - this.downSince) / 1000;
    this.log().info(
      { outageSeconds: seconds, failedRequests: this.failures },
      'database reachable again',
    );
    this.downSince = undefined;
    this.stopProbe();
  }

  stop(): void {
    this.stopProbe();
  }

  private async check() {
    try {
      await sql`select 1`.execute(this.db);
      this.reportSuccess();
    } catch {
      // Still down; logged once already.
    }
  }

  private stopProbe() {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }
}
