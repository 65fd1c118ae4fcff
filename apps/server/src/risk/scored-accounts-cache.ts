import type { ScoredAccount } from './score-accounts.js';

const TTL_MS = 60_000;
const MAX_ENTRIES = 8;

interface Entry {
  expires: number;
  scored: Promise<{ asOf: Date; scored: ScoredAccount[] }>;
}

/**
 * The scored accounts behind a paginated list, kept for a minute by (project, asOf, churned
 * or not). A cursor carries the `asOf` of its first page, so the pages of one listing are
 * slices of one computation instead of a computation each, and they agree with each other.
 */
export class ScoredAccountsCache {
  private readonly entries = new Map<string, Entry>();

  /** The cached result for the key, or `compute()` (which is then cached under its asOf). */
  async get(
    projectId: string,
    asOf: Date | undefined,
    includeChurned: boolean,
    compute: () => Promise<{ asOf: Date; scored: ScoredAccount[] }>,
  ): Promise<{ asOf: Date; scored: ScoredAccount[] }> {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    const keyOf = (at: Date) => `${projectId}\n${at.toISOString()}\n${includeChurned}`;
    const cached = asOf && this.entries.get(keyOf(asOf));
    if (cached) return cached.scored;
    const scored = compute();
    scored.then(
      (result) => {
        this.entries.set(keyOf(result.asOf), { expires: Date.now() + TTL_MS, scored });
        while (this.entries.size > MAX_ENTRIES) {
          this.entries.delete(this.entries.keys().next().value as string);
        }
      },
      () => {},
    );
    return scored;
  }
}
