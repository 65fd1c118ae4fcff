import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.types.js';
import type { ApiKeyKind } from '../db/tables/projects.table.js';

const PREFIX: Record<ApiKeyKind, string> = { write: 'tw_', secret: 'ts_' };

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new random key: `tw_…` (write, public) or `ts_…` (secret, server-side only). */
export function generateKey(kind: ApiKeyKind): string {
  return PREFIX[kind] + randomBytes(24).toString('base64url');
}

export async function insertKey(db: Db, projectId: string, kind: ApiKeyKind): Promise<string> {
  const key = generateKey(kind);
  await db
    .insertInto('api_keys')
    .values({ key_hash: hashKey(key), project_id: projectId, kind, prefix: key.slice(0, 10) })
    .execute();
  return key;
}

export async function findProjectByKey(
  db: Db,
  key: string,
  kind: ApiKeyKind,
): Promise<{ projectId: string; allowedOrigins: string[] } | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('projects', 'projects.id', 'api_keys.project_id')
    .select(['api_keys.project_id', 'projects.allowed_origins'])
    .where('api_keys.key_hash', '=', hashKey(key))
    .where('api_keys.kind', '=', kind)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { projectId: row.project_id, allowedOrigins: row.allowed_origins };
}
