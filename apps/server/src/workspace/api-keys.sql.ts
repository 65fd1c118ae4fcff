import { sql } from 'kysely';
import { hashKey } from '../auth/api-keys.js';
import type { Db } from '../db/database.types.js';
import type { ApiKeyKind } from '../db/tables/projects.table.js';

export interface ApiKeySummary {
  id: string;
  kind: ApiKeyKind;
  /** The key's first characters and an ellipsis: enough to tell keys apart, never usable. */
  maskedKey: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * A key's public id: `key_` and the first 16 hex digits of its SHA-256. Derived, so existing
 * keys have one without a migration; 64 bits of a hash of a 190-bit random key reveal nothing.
 */
export function keyIdOf(keyHash: string): string {
  return `key_${keyHash.slice(0, 16)}`;
}

export const KEY_ID_PATTERN = /^key_[0-9a-f]{16}$/;

export function keyIdOfKey(key: string): string {
  return keyIdOf(hashKey(key));
}

export async function listApiKeys(db: Db, projectId: string): Promise<ApiKeySummary[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['key_hash', 'kind', 'prefix', 'created_at', 'revoked_at'])
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .orderBy('key_hash')
    .execute();
  return rows.map((row) => ({
    id: keyIdOf(row.key_hash),
    kind: row.kind,
    maskedKey: `${row.prefix}…`,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }));
}

/**
 * Revokes the project's key with this id (already revoked stays revoked): `found` is false
 * when the project has no key by that id.
 */
export async function revokeApiKey(
  db: Db,
  projectId: string,
  keyId: string,
): Promise<{ found: boolean }> {
  if (!KEY_ID_PATTERN.test(keyId)) return { found: false };
  // The id is hex only (checked above), so the LIKE pattern holds no wildcard but its own.
  const hashPrefix = `${keyId.slice(4)}%`;
  // The time is a parameter, not now(): Citus takes no stable function in a COALESCE of an
  // UPDATE ("non-IMMUTABLE functions are not allowed in CASE or COALESCE statements").
  const key = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, ${new Date()}::timestamptz)` })
    .where('project_id', '=', projectId)
    .where('key_hash', 'like', hashPrefix)
    .returning('key_hash')
    .executeTakeFirst();
  return { found: key !== undefined };
}
