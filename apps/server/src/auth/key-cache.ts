import type { Db } from '../db/database.types.js';
import type { ApiKeyKind } from '../db/tables/projects.table.js';
import { findProjectByKey } from './api-keys.js';

export interface KeyOwner {
  projectId: string;
  allowedOrigins: string[];
}

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Key lookups on the ingest hot path, cached for 30 s (so a revoked key stops working within
 * that time). Unknown keys are cached too, so a flood of bad keys does not reach the database.
 */
export class KeyCache {
  private readonly entries = new Map<string, { owner: KeyOwner | undefined; expires: number }>();

  constructor(private readonly db: Db) {}

  async lookup(key: string, kind: ApiKeyKind): Promise<KeyOwner | undefined> {
    const cacheKey = `${kind}:${key}`;
    const now = Date.now();
    const hit = this.entries.get(cacheKey);
    if (hit && hit.expires > now) return hit.owner;
    const owner = await findProjectByKey(this.db, key, kind);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(cacheKey, { owner, expires: now + TTL_MS });
    return owner;
  }

  invalidate(): void {
    this.entries.clear();
  }
}
